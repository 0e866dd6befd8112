import type { ServerResponse } from 'node:http';
import type { LifeboatEvent } from '../../common/api.ts';
import type { LifeboatEvents } from '../api/apiBackend.ts';

export const HEARTBEAT_MS = 15_000;

/**
 * One Server-Sent Events stream: each LifeboatEvent as a `data:` line (JSON has no raw newlines),
 * and a comment line now and then so proxies and idle timers see the connection is alive.
 * Returns a function that ends the stream (on server close).
 */
export function openEventStream(res: ServerResponse, events: LifeboatEvents, heartbeatMs = HEARTBEAT_MS): () => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  // retry: how soon EventSource reconnects after the service restarts.
  res.write('retry: 2000\n: connected\n\n');
  const unsubscribe = events.subscribe((event: LifeboatEvent) => {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  res.on('close', close);
  return close;
}
