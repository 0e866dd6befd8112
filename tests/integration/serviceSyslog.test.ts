import { existsSync, readFileSync } from 'node:fs';
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
    harness = await startSimHarness({ syslog: { host: '127.0.0.1', port: rsyslog.port }, workstation: 'ROOM-2' });
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
});
