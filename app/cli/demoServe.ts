import { startServe } from '../core/serve/startServe.ts';
import type { LifeboatRuntime } from '../core/startLifeboat.ts';

/** Serves the UI over the demo's live service; returns the URL with its per-launch token. */
export async function startDemoServe(runtime: LifeboatRuntime, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = await startServe({ handlers: runtime.handlers, events: runtime.events, port });
  return { url: server.url, close: () => server.close() };
}
