// The syslog forwarder against a REAL rsyslog (Debian package) on 127.0.0.1: records arrive
// byte for byte, nothing is lost while rsyslog is stopped or killed, the queue is bounded and
// survives a restart of Lifeboat, and TLS works with a verified certificate (rsyslog-gnutls).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../app/common/incident.ts';
import type { Diagnostic } from '../../app/common/diagnostic.ts';
import { SyslogForwarder, type SyslogForwarderOptions } from '../../app/core/export/syslogForwarder.ts';
import { formatIncidentMessage } from '../../app/core/export/syslogFormat.ts';
import { generateIncidents } from '../../testing/report/syntheticIncidents.ts';
import { waitFor } from '../support/waitFor.ts';
import { freePort, incidentIdOf, makeSelfSignedCert, Rsyslog } from './syslogRsyslogServer.ts';

const dirs: string[] = [];
const servers: Rsyslog[] = [];
const forwarders: SyslogForwarder[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-syslog-'));
  dirs.push(dir);
  return dir;
}

async function server(options: { port?: number; tls?: ReturnType<typeof makeSelfSignedCert>; dir?: string } = {}): Promise<Rsyslog> {
  const rs = new Rsyslog({ port: options.port ?? (await freePort()), ...(options.tls ? { tls: options.tls } : {}), ...(options.dir ? { dir: options.dir } : {}) });
  servers.push(rs);
  return rs;
}

function forwarder(options: Partial<SyslogForwarderOptions> & { port: number; queueDir: string }, diagnostics: Diagnostic[] = []): SyslogForwarder {
  const f = new SyslogForwarder({
    host: '127.0.0.1',
    hostname: 'RECEPTION-01',
    ackGraceMs: 300,
    minBackoffMs: 50,
    maxBackoffMs: 400,
    onDiagnostic: (d) => diagnostics.push(d),
    ...options,
  });
  forwarders.push(f);
  return f;
}

const FROM = Date.UTC(2026, 0, 5);
const TO = Date.UTC(2026, 0, 30);
let batchNo = 0;
function incidents(count: number): Incident[] {
  batchNo++;
  return generateIncidents({ count, from: FROM, to: TO, seed: batchNo, idPrefix: `b${batchNo}`, withPatientData: true, workstation: 'RECEPTION-01' });
}

const ids = (lines: string[]): Set<string> => new Set(lines.map(incidentIdOf).filter((id): id is string => id !== null));

afterEach(async () => {
  for (const f of forwarders.splice(0)) await f.close();
  for (const s of servers.splice(0)) await s.dispose();
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('syslog forwarding to a real rsyslog', () => {
  it('delivers RFC 5424 messages with structured data intact, byte for byte, redacted', async () => {
    const rs = await server();
    await rs.start();
    const tricky: Incident = {
      id: 'tricky-1',
      kind: 'crash',
      app: 'emisweb.exe',
      profile: 'emis-web',
      startedAt: '2026-01-05T09:41:07.123Z',
      endedAt: '2026-01-05T09:43:00.000Z',
      sources: ['log', 'wer'],
      evidence: ['2026-01-05T09:41:07.123Z log: Zoë said "C:\\Temp\\x]" — patient NHS 943 476 5919, café ☕'],
      signature: 'System.IO.IOException: path "C:\\data\\[a]" locked',
      workstation: 'RECEPTION-01',
    };
    const sent = [tricky, ...incidents(40)];
    const f = forwarder({ port: rs.port, queueDir: join(tempDir(), 'queue') });
    f.start();
    f.send(sent, 'opened');
    expect(await f.idle(20_000)).toBe(true);
    const lines = await rs.waitFor((l) => ids(l).size >= sent.length);

    // Each line is exactly the message we framed (rsyslog's %rawmsg%): nothing cut, escaped or re-encoded.
    const expected = new Set(sent.map((i) => formatIncidentMessage(i, { hostname: 'RECEPTION-01', appName: 'lifeboat', change: 'opened' })));
    for (const line of lines) expect(expected.has(line)).toBe(true);
    const trickyLine = lines.find((l) => incidentIdOf(l) === 'tricky-1')!;
    expect(trickyLine).toContain('signature="System.IO.IOException: path \\"C:\\\\data\\\\[a\\]\\" locked"');
    expect(trickyLine).toContain('\uFEFFcrash of emisweb.exe');
    expect(trickyLine).toContain('café ☕');
    const all = readFileSync(rs.outFile, 'utf8');
    expect(all).not.toMatch(/943 ?476 ?5919/);
    expect(all).not.toContain('Jane Example');
    expect(all).toContain('[NHS-NUMBER]');
  });

  it('loses nothing while rsyslog is stopped: queued on disk, sent after it restarts on the same port', async () => {
    const rs = await server();
    await rs.start();
    const diagnostics: Diagnostic[] = [];
    const f = forwarder({ port: rs.port, queueDir: join(tempDir(), 'queue') }, diagnostics);
    f.start();
    const first = incidents(100);
    f.send(first);
    await rs.waitFor((l) => ids(l).size >= 100);
    expect(await f.idle(10_000)).toBe(true);

    await rs.stop('SIGTERM');
    const second = incidents(150);
    f.send(second);
    await waitFor(() => diagnostics.some((d) => d.code === 'syslog-disconnected'), { what: 'the forwarder to notice rsyslog is gone' });
    // Nobody to send to: everything stays queued (a record leaves only once a connection kept it).
    expect(f.stats().queued).toBe(150);

    await rs.start();
    const received = ids(await rs.waitFor((l) => ids(l).size >= 250));
    for (const i of [...first, ...second]) expect(received.has(i.id)).toBe(true);
    expect(await f.idle(10_000)).toBe(true);
    expect(f.stats().connects).toBeGreaterThanOrEqual(2);
  });

  it('loses nothing when rsyslog is killed (SIGKILL) in the middle of a stream', async () => {
    const rs = await server();
    await rs.start();
    const diagnostics: Diagnostic[] = [];
    const f = forwarder({ port: rs.port, queueDir: join(tempDir(), 'queue') }, diagnostics);
    f.start();
    const sent: Incident[] = [];
    // 40 batches of 50: rsyslog is killed once it has taken some of the first 8 (bytes in flight
    // and in its memory), batches 8-17 are sent while it is dead, it is back for the rest.
    for (let b = 0; b < 40; b++) {
      if (b === 8) {
        await rs.waitFor((l) => ids(l).size > 0);
        await rs.stop('SIGKILL');
      }
      if (b === 18) {
        await waitFor(() => diagnostics.some((d) => d.code === 'syslog-disconnected'), { what: 'the forwarder to notice the kill' });
        await rs.start();
      }
      const batch = incidents(50);
      sent.push(...batch);
      f.send(batch);
      await new Promise((r) => setImmediate(r));
    }
    const received = ids(await rs.waitFor((l) => ids(l).size >= 2000, 30_000));
    const missing = sent.filter((i) => !received.has(i.id));
    expect(missing).toEqual([]);
    expect(await f.idle(10_000)).toBe(true);
  });

  it('keeps the queue on disk across a Lifeboat restart and sends it when the server appears', async () => {
    const port = await freePort();
    const queueDir = join(tempDir(), 'queue');
    const before = forwarder({ port, queueDir });
    before.start();
    const queued = incidents(30);
    before.send(queued);
    // Queued durably as send() returns: nothing to wait for before Lifeboat stops.
    expect(before.stats().queued).toBe(30);
    await before.close();

    const rs = await server({ port });
    await rs.start();
    const after = forwarder({ port, queueDir });
    after.start();
    expect(after.stats().queued).toBe(30);
    const received = ids(await rs.waitFor((l) => ids(l).size >= 30));
    for (const i of queued) expect(received.has(i.id)).toBe(true);
    expect(await after.idle(10_000)).toBe(true);
  });

  it('bounds the queue: the oldest records are dropped, counted and reported while the server is away', async () => {
    const port = await freePort();
    const diagnostics: Diagnostic[] = [];
    const f = forwarder({ port, queueDir: join(tempDir(), 'queue'), maxQueueBytes: 8 * 1024 }, diagnostics);
    f.start();
    const sent = incidents(200);
    for (const i of sent) f.send(i);
    const stats = f.stats();
    expect(stats.queuedBytes).toBeLessThanOrEqual(8 * 1024);
    expect(stats.dropped).toBe(200 - stats.queued);
    expect(stats.dropped).toBeGreaterThan(0);
    const drops = diagnostics.filter((d) => d.code === 'syslog-dropped');
    expect(drops.length).toBeGreaterThan(0);
    // Each drop is said with its count: together, every record the bound dropped.
    expect(drops.reduce((sum, d) => sum + Number(/^(\d+) records dropped: syslog queue over 8192 bytes/.exec(d.message)![1]), 0)).toBe(stats.dropped);

    const rs = await server({ port });
    await rs.start();
    const received = ids(await rs.waitFor((l) => ids(l).size >= stats.queued));
    // The newest survive, the oldest went.
    for (const i of sent.slice(-stats.queued)) expect(received.has(i.id)).toBe(true);
    expect(received.has(sent[0]!.id)).toBe(false);
  });

  it('forwards over TLS to rsyslog (gtls) with the certificate verified, and refuses an unknown certificate', async () => {
    const certs = makeSelfSignedCert(tempDir());
    const rs = await server({ tls: certs });
    await rs.start();
    const ok = forwarder({ port: rs.port, queueDir: join(tempDir(), 'queue'), tls: { ca: readFileSync(certs.ca), servername: 'localhost' } });
    ok.start();
    const sent = incidents(25);
    ok.send(sent);
    const received = ids(await rs.waitFor((l) => ids(l).size >= 25));
    for (const i of sent) expect(received.has(i.id)).toBe(true);

    const other = makeSelfSignedCert(tempDir(), 'other');
    const diagnostics: Diagnostic[] = [];
    const refused = forwarder({ port: rs.port, queueDir: join(tempDir(), 'queue2'), tls: { ca: readFileSync(other.ca), servername: 'localhost' } }, diagnostics);
    refused.start();
    refused.send(incidents(3));
    await waitFor(() => diagnostics.some((d) => d.code === 'syslog-disconnected' && /certificate/i.test(d.message)), { what: 'the certificate to be refused' });
    expect(refused.stats().queued).toBe(3);
  });
});
