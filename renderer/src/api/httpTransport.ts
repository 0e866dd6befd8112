import type { ApiName, LifeboatApi, LifeboatEvent } from '../../../app/common/api.ts';
import { failure, toApiResult, UNREACHABLE_MESSAGE } from './apiResult.ts';
import { CALL_NAMES } from './callNames.ts';

/** The parts of fetch and EventSource the bridge uses: small enough to fake in a unit test. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; credentials: 'omit' }) => Promise<{ status: number; text(): Promise<string> }>;
export interface EventSourceLike {
  addEventListener(type: 'message', listener: (message: { data: string }) => void): void;
  close(): void;
}

const EVENT_TYPES = new Set(['health', 'incident', 'notification']);

export function parseEvent(data: string): LifeboatEvent | null {
  try {
    const value = JSON.parse(data) as { type?: unknown };
    return typeof value === 'object' && value !== null && EVENT_TYPES.has(value.type as string) ? (value as LifeboatEvent) : null;
  } catch {
    return null;
  }
}

/**
 * LifeboatApi over `lifeboat serve`: POST /api/<name> with the page's token as a bearer header
 * (no cookies), events over one shared stream opened for the first listener and closed after the last.
 */
export function createHttpApi(deps: { fetch: FetchLike; openEvents: (url: string) => EventSourceLike; base?: string; token?: string | null }): LifeboatApi {
  const base = deps.base ?? '';
  const auth: Record<string, string> = deps.token ? { Authorization: `Bearer ${deps.token}` } : {};
  const api: Record<string, unknown> = {};
  for (const name of CALL_NAMES) {
    api[name] = async (arg: unknown) => {
      let response;
      try {
        response = await deps.fetch(`${base}/api/${name satisfies ApiName}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth },
          body: JSON.stringify(arg ?? {}),
          credentials: 'omit',
        });
      } catch {
        return failure('UNREACHABLE', UNREACHABLE_MESSAGE);
      }
      let text: string;
      try {
        text = await response.text();
      } catch {
        return failure('UNREACHABLE', UNREACHABLE_MESSAGE);
      }
      return toApiResult(response.status, text);
    };
  }

  const listeners = new Set<(event: LifeboatEvent) => void>();
  let source: EventSourceLike | null = null;
  api.onEvent = (listener: (event: LifeboatEvent) => void): (() => void) => {
    listeners.add(listener);
    if (source === null) {
      source = deps.openEvents(`${base}/api/events`);
      source.addEventListener('message', (message) => {
        const event = parseEvent(message.data);
        if (event) for (const l of [...listeners]) l(event);
      });
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source !== null) {
        source.close();
        source = null;
      }
    };
  };
  return api as LifeboatApi;
}
