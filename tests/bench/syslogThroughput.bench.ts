// Syslog forwarding throughput to a REAL rsyslog on 127.0.0.1 (Debian package): how fast
// incidents are queued durably (committed to the SQLite queue) and how fast they arrive, end to end, in rsyslog's
// output file, over TCP and (with rsyslog-gnutls) TLS.
// Run: node tests/bench/syslogThroughput.bench.ts   (SYSLOG_BENCH_RECORDS=20000 for a quicker run)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyslogForwarder } from '../../app/core/export/syslogForwarder.ts';
import { generateIncidents } from '../../testing/report/syntheticIncidents.ts';
import { freePort, gtlsAvailable, makeSelfSignedCert, Rsyslog, rsyslogAvailable } from '../integration/syslogRsyslogServer.ts';
import { reportBench, type BenchRow } from './benchReport.ts';

const RECORDS = Number(process.env.SYSLOG_BENCH_RECORDS ?? 100_000);
const BATCH = 1000;

if (!rsyslogAvailable()) {
  console.log('rsyslogd is not installed (apt-get install -y rsyslog): syslog benchmark skipped');
  process.exit(0);
}

const incidents = generateIncidents({ count: RECORDS, from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 11, 20), seed: 77, workstation: 'RECEPTION-01' });

function countLines(file: string): number {
  try {
    const data = readFileSync(file);
    let n = 0;
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
    return n;
  } catch {
    return 0;
  }
}

async function run(tls: boolean): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-syslog-bench-'));
  const certs = tls ? makeSelfSignedCert(dir) : undefined;
  const rs = new Rsyslog({ port: await freePort(), ...(certs ? { tls: certs } : {}) });
  await rs.start();
  const forwarder = new SyslogForwarder({
    host: '127.0.0.1',
    port: rs.port,
    hostname: 'RECEPTION-01',
    queueDir: join(dir, 'queue'),
    maxQueueBytes: 256 * 1024 * 1024,
    ackGraceMs: 200,
    ...(certs ? { tls: { ca: readFileSync(certs.ca), servername: 'localhost' } } : {}),
  });
  try {
    const start = performance.now();
    forwarder.start();
    let enqueueMs = 0;
    for (let i = 0; i < incidents.length; i += BATCH) {
      const t = performance.now();
      forwarder.send(incidents.slice(i, i + BATCH), 'opened');
      enqueueMs += performance.now() - t;
      await new Promise((r) => setImmediate(r)); // let the socket drain between batches, as a live service would
    }
    while (countLines(rs.outFile) < RECORDS) await new Promise((r) => setTimeout(r, 20));
    const deliveredMs = performance.now() - start;
    const idle = await forwarder.idle(30_000);
    const stats = forwarder.stats();
    const label = tls ? 'TLS' : 'TCP';
    return [
      { metric: `${label}: delivered end to end`, value: RECORDS / (deliveredMs / 1000), unit: 'records/s', note: `${RECORDS} records in ${(deliveredMs / 1000).toFixed(2)} s, in rsyslog's file` },
      { metric: `${label}: durable enqueue (fsync per ${BATCH})`, value: RECORDS / (enqueueMs / 1000), unit: 'records/s' },
      { metric: `${label}: queue empty after delivery`, value: idle && stats.queued === 0 ? 1 : 0, unit: 'yes=1', note: `dropped ${stats.dropped}, connects ${stats.connects}` },
    ];
  } finally {
    await forwarder.close();
    await rs.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Best of two runs (the first also warms the JIT); rows compared by the end-to-end rate. */
async function best(tls: boolean): Promise<BenchRow[]> {
  const a = await run(tls);
  const b = await run(tls);
  return a[0]!.value >= b[0]!.value ? a : b;
}

const rows = await best(false);
if (gtlsAvailable()) rows.push(...(await best(true)));
else rows.push({ metric: 'TLS', value: NaN, unit: '', note: 'rsyslog-gnutls or openssl missing: not measured' });
reportBench('syslog-throughput', rows, { records: RECORDS, batch: BATCH });
