import type { LifeboatRuntime } from '../core/startLifeboat.ts';

/** Serves the UI for the demo, once the serve bridge exists. Returns the URL with its token. */
export async function startDemoServe(_runtime: LifeboatRuntime, _port: number): Promise<string> {
  return '(UI not available yet)';
}
