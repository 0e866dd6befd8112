// The failure TCP syslog is known for (a server that takes bytes and then dies before keeping
// them: the sender's write() succeeded), reproduced deterministically with a scripted server.
// The forwarder must re-send what it wrote within the grace period before the connection died.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../app/common/diagnostic.ts';
import { SyslogForwarder } from '../../app/core/export/syslogForwarder.ts';
import { parseOctetCountedFrames } from '../../app/core/export/syslogFormat.ts';
import { generateIncidents } from '../../testing/report/syntheticIncidents.ts';
import { waitFor } from '../support/waitFor.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Connection n behaves as behaviours[n] (the last one repeats); every byte received is kept per connection. */
async function scriptedServer(behaviours: Array<(socket: Socket) => void>): Promise<{ port: number; received: Buffer[][] }> {
  const received: Buffer[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const chunks: Buffer[] = [];
    received.push(chunks);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    behaviours[Math.min(received.length - 1, behaviours.length - 1)]!(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, received };
}

const idsIn = (chunks: Buffer[]): string[] =>
  parseOctetCountedFrames(Buffer.concat(chunks)).frames.map((f) => /incident="([^"]+)"/.exec(f.toString('utf8'))?.[1] ?? '?');

function forwarder(port: number, ackGraceMs: number, diagnostics: Diagnostic[] = []): SyslogForwarder {
  const queueDir = mkdtempSync(join(tmpdir(), 'lifeboat-syslog-fault-'));
  const f = new SyslogForwarder({ host: '127.0.0.1', port, hostname: 'WS', queueDir, ackGraceMs, minBackoffMs: 30, maxBackoffMs: 200, onDiagnostic: (d) => diagnostics.push(d) });
  cleanups.push(async () => {
    await f.close();
    rmSync(queueDir, { recursive: true, force: true });
  });
  return f;
}

const incidents = generateIncidents({ count: 50, from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 9), seed: 3, idPrefix: 'fault' });

describe('syslog forwarder under server faults', () => {
  it('re-sends records a server took and then lost by resetting within the grace period', async () => {
    const server = await scriptedServer([
      // First connection: read everything, keep nothing, reset 100 ms later (a crash).
      (socket) => setTimeout(() => socket.resetAndDestroy(), 100),
      () => {},
    ]);
    const f = forwarder(server.port, 400);
    f.start();
    f.send(incidents);
    expect(await f.idle(10_000)).toBe(true);
    expect(server.received.length).toBeGreaterThanOrEqual(2);
    expect(idsIn(server.received[0]!).length).toBe(50); // the lost connection had them all…
    expect(new Set(idsIn(server.received.at(-1)!))).toEqual(new Set(incidents.map((i) => i.id))); // …and they came again
  });

  it('with no grace period the same fault loses the records (why the grace period exists)', async () => {
    const server = await scriptedServer([(socket) => setTimeout(() => socket.resetAndDestroy(), 100), () => {}]);
    const f = forwarder(server.port, 0);
    f.start();
    f.send(incidents);
    expect(await f.idle(10_000)).toBe(true);
    // The reset makes it connect again: with nothing left in its queue it has nothing to send.
    await waitFor(() => server.received.length >= 2, { what: 'the reconnection after the reset' });
    expect(f.stats()).toMatchObject({ queued: 0, acknowledged: 50 });
    const later = server.received.slice(1).flatMap((chunks) => idsIn(chunks));
    expect(later).toHaveLength(0);
  });

  it('reconnects with growing back-off while nobody listens, and reports each failure', async () => {
    const server = await scriptedServer([(socket) => socket.destroy(), (socket) => socket.destroy(), (socket) => socket.destroy(), () => {}]);
    const diagnostics: Diagnostic[] = [];
    const f = forwarder(server.port, 100, diagnostics);
    f.start();
    f.send(incidents.slice(0, 5));
    expect(await f.idle(10_000)).toBe(true);
    const waits = diagnostics.filter((d) => d.code === 'syslog-disconnected').map((d) => Number(/next try in (\d+) ms$/.exec(d.message)![1]));
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(waits[2]!).toBeGreaterThan(waits[0]!);
    expect(new Set(idsIn(server.received.at(-1)!))).toEqual(new Set(incidents.slice(0, 5).map((i) => i.id)));
  });
});

describe('syslog forwarder write-progress watchdog', () => {
  it('drops and remakes a connection whose server stopped reading, and loses nothing', async () => {
    let connection = 0;
    const { port, received } = await scriptedServer([
      // First connection: accept, then never read again (the kernel buffers fill, nothing drains).
      (socket) => {
        connection++;
        socket.pause();
      },
      () => {
        connection++;
      },
    ]);
    const diagnostics: Diagnostic[] = [];
    const queueDir = mkdtempSync(join(tmpdir(), 'lifeboat-syslog-stall-'));
    // A grace period longer than the stall: nothing written into the dead connection counts as delivered.
    const f = new SyslogForwarder({ host: '127.0.0.1', port, hostname: 'WS', queueDir, ackGraceMs: 5000, minBackoffMs: 30, maxBackoffMs: 200, stallTimeoutMs: 500, maxQueueBytes: 256 * 1024 * 1024, onDiagnostic: (d) => diagnostics.push(d) });
    cleanups.push(async () => {
      await f.close();
      rmSync(queueDir, { recursive: true, force: true });
    });
    f.start();
    // Enough bytes to fill loopback socket buffers on both ends: large evidence per record.
    const big = generateIncidents({ count: 4000, from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 9), seed: 5, idPrefix: 'stall' }).map((i) => ({ ...i, evidence: [`${'x'.repeat(4000)}`] }));
    f.send(big);
    await waitFor(() => diagnostics.some((d) => d.code === 'syslog-disconnected' && /no write progress/.test(d.message)), { what: 'the watchdog to drop the stalled connection', timeoutMs: 30_000 });
    await waitFor(() => connection >= 2);
    expect(await f.idle(60_000)).toBe(true);
    const ids = new Set(received.slice(1).flatMap(idsIn));
    expect(big.every((i) => ids.has(i.id))).toBe(true);
  }, 120_000);
});
