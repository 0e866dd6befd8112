import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { SettingsSchema } from '../../app/core/config/profiles.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimHarness, incidentsOf, type SimHarness } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';
import { freePort, Rsyslog } from './syslogRsyslogServer.ts';

let harness: SimHarness | null = null;
let rsyslog: Rsyslog | null = null;
afterEach(async () => {
  await harness?.close();
  await rsyslog?.stop();
  harness = null;
  rsyslog = null;
});

describe('the running service forwards incidents to syslog when settings name a server', () => {
  it("sends the simulated client's crash to a real rsyslog as RFC 5424 with structured data", async () => {
    rsyslog = new Rsyslog({ port: await freePort() });
    await rsyslog.start();
    // This rsyslog listens on plain TCP, which the policy must ask for in so many words.
    harness = await startSimHarness({ syslog: { host: '127.0.0.1', port: rsyslog.port, insecure: true }, workstation: 'ROOM-2' });
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok');
    client.send('crash');
    await waitFor(() => incidentsOf(harness!, 'crash').length === 1, { what: 'crash incident' });
    const id = incidentsOf(harness, 'crash')[0]!.id;
    await waitFor(() => existsSync(rsyslog!.outFile) && readFileSync(rsyslog!.outFile, 'utf8').includes(id), { what: 'the incident at rsyslog', timeoutMs: 15_000 });
    const line = readFileSync(rsyslog.outFile, 'utf8').split('\n').find((l) => l.includes(id))!;
    expect(line).toMatch(/^<\d+>1 \S+ ROOM-2 lifeboat /);
    expect(line).toMatch(/\[lifeboat@32473 [^\]]*kind="(crash|exit)"/);
    expect(harness.diagnostics.filter((d) => d.startsWith('syslog'))).toEqual([]);
  });

  it('speaks TLS unless the policy says insecure: true (a plain listener receives a TLS handshake, never a record)', async () => {
    const first: Buffer[] = [];
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (d: Buffer) => first.push(d));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      harness = await startSimHarness({ syslog: { host: '127.0.0.1', port }, workstation: 'ROOM-3' });
      await waitFor(() => first.length > 0, { what: 'the first bytes at the listener', timeoutMs: 15_000 });
      // 0x16 0x03: a TLS handshake record (ClientHello); a syslog frame would start with its length in digits.
      expect([...Buffer.concat(first).subarray(0, 2)]).toEqual([0x16, 0x03]);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
    expect(() => SettingsSchema.parse({ syslog: { host: 'siem', port: 6514, insecure: true, caFile: 'ca.pem' } })).toThrow(/contradict/);
    expect(() => SettingsSchema.parse({ syslog: { host: 'siem', port: 514, insecure: false } })).toThrow();
  });
});
