// A real rsyslog (Debian package) for the syslog export tests and benchmark: started on
// 127.0.0.1 with its own config, work directory and pid file in a temp dir, imtcp with
// octet-counted framing, omfile writing each raw message (structured data and BOM included)
// on its own line. Optional TLS through the gtls driver (package rsyslog-gnutls).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RSYSLOGD = process.env.LIFEBOAT_RSYSLOGD ?? (existsSync('/usr/sbin/rsyslogd') ? '/usr/sbin/rsyslogd' : 'rsyslogd');
const MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/rsyslog', '/usr/lib/aarch64-linux-gnu/rsyslog', '/usr/lib/rsyslog', '/usr/lib64/rsyslog'];

/** For the benchmark, which runs where tests may not have installed rsyslog; the tests require it (.ci/run installs it). */
export function rsyslogAvailable(): boolean {
  return spawnSync(RSYSLOGD, ['-v'], { encoding: 'utf8' }).status === 0;
}

export function gtlsAvailable(): boolean {
  return MODULE_DIRS.some((d) => existsSync(join(d, 'lmnsd_gtls.so'))) && spawnSync('openssl', ['version']).status === 0;
}


export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

/** A self-signed certificate for localhost / 127.0.0.1 (also its own CA). */
export function makeSelfSignedCert(dir: string, name = 'server'): TlsFiles {
  const cert = join(dir, `${name}-cert.pem`);
  const key = join(dir, `${name}-key.pem`);
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { cert, key, ca: cert };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class Rsyslog {
  readonly dir: string;
  readonly port: number;
  readonly outFile: string;
  private readonly tls: TlsFiles | undefined;
  private child: ChildProcess | null = null;
  stderr = '';

  constructor(options: { port: number; tls?: TlsFiles; dir?: string }) {
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'lifeboat-rsyslog-'));
    this.port = options.port;
    this.tls = options.tls;
    this.outFile = join(this.dir, 'received.log');
    mkdirSync(join(this.dir, 'work'), { recursive: true });
    writeFileSync(join(this.dir, 'rsyslog.conf'), this.config());
  }

  private config(): string {
    const tls = this.tls;
    return [
      `global(workDirectory="${join(this.dir, 'work')}" maxMessageSize="64k" parser.escapeControlCharactersOnReceive="off"${
        tls ? ` defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${tls.ca}" defaultNetstreamDriverCertFile="${tls.cert}" defaultNetstreamDriverKeyFile="${tls.key}"` : ''
      })`,
      tls ? 'module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")' : 'module(load="imtcp")',
      // Direct: each message is written by the thread that read it, so what rsyslog took off the socket is on disk.
      'main_queue(queue.type="Direct")',
      'template(name="raw" type="string" string="%rawmsg%\\n")',
      `input(type="imtcp" port="${this.port}" address="127.0.0.1" supportOctetCountedFraming="on")`,
      `action(type="omfile" file="${this.outFile}" template="raw" asyncWriting="off" flushOnTXEnd="on")`,
      '',
    ].join('\n');
  }

  async start(timeoutMs = 10_000): Promise<void> {
    const child = spawn(RSYSLOGD, ['-n', '-f', join(this.dir, 'rsyslog.conf'), '-i', join(this.dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${this.stderr}`);
      if (await canConnect(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`rsyslogd did not listen on ${this.port} within ${timeoutMs} ms: ${this.stderr}`);
  }

  /** Stops the rsyslogd this object started (by its pid, never by name). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // The pid file must go, or the next start on the same dir refuses ("already running").
    rmSync(join(this.dir, 'rsyslogd.pid'), { force: true });
  }

  /** Received messages, one per line, as rsyslog got them (BOM included). */
  lines(): string[] {
    if (!existsSync(this.outFile)) return [];
    return readFileSync(this.outFile, 'utf8').split('\n').filter((l) => l !== '');
  }

  async waitFor(predicate: (lines: string[]) => boolean, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.lines();
      if (predicate(lines)) return lines;
      if (Date.now() > deadline) throw new Error(`rsyslog did not receive the expected records within ${timeoutMs} ms (has ${lines.length} lines)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The `incident="…"` SD-PARAM of a received line. */
export function incidentIdOf(line: string): string | null {
  return /\sincident="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? null;
}
