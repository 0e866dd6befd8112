import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { systemClock, type Clock } from '../../common/clock.ts';
import { diagnostic, type DiagnosticSink } from '../../common/diagnostic.ts';
import type { Incident } from '../../common/incident.ts';
import { SyslogQueue } from './syslogQueue.ts';
import { formatIncidentMessage, frameOctetCounted, type IncidentChange } from './syslogFormat.ts';

/**
 * Forwards incidents to a syslog server (rsyslog, syslog-ng, a SIEM collector) as RFC 5424 over
 * TCP, optionally TLS (RFC 5425), with octet-counted framing (RFC 6587).
 *
 * Delivery is at-least-once, with possible duplicates after a reconnect. Plain TCP syslog has
 * no application-level acknowledgement: a successful write() means the kernel took the bytes,
 * not that the server kept them, and a server that dies just after a write loses what was in
 * flight without telling the sender. So a record leaves the on-disk queue only when
 *   1. its bytes were written to the socket without error, and
 *   2. the connection then stayed up for ackGraceMs (default 1 s): a server that was already
 *      dead shows it by a reset or close within that time;
 * when the connection fails, everything not yet acknowledged is sent again on the next
 * connection. The receiver should de-duplicate by the `incident` + `change` SD-PARAMs when it
 * matters. A server that accepts bytes and then loses them from its own memory (killed without
 * a disk-assisted queue) cannot be detected by any TCP syslog sender; RELP exists for that.
 */

export interface SyslogTlsOptions {
  /** PEM CA certificate(s) to trust; default the system store. */
  ca?: string | Buffer;
  /** Default true: never send patient-adjacent data to a server we cannot verify. */
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface SyslogForwarderOptions {
  host: string;
  port: number;
  tls?: SyslogTlsOptions;
  appName?: string;
  hostname: string;
  queueDir: string;
  /** Bound on unacknowledged bytes kept on disk. Default 16 MiB. */
  maxQueueBytes?: number;
  facility?: number;
  sdId?: string;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  ackGraceMs?: number;
  connectTimeoutMs?: number;
  /**
   * A connection whose writes stop draining for this long (a server that accepts and then stops
   * reading, a half-dead NAT path) is dropped and made again. Default 30 s.
   */
  stallTimeoutMs?: number;
  /** Records dropped (`syslog-dropped`) and connections lost (`syslog-disconnected`, with the wait before the next try). */
  onDiagnostic?: DiagnosticSink;
  /** Times writes for the grace period and connections for the back-off reset; default the system clock. */
  clock?: Clock;
}

export interface SyslogStats {
  connected: boolean;
  queued: number;
  queuedBytes: number;
  /** Records acknowledged since start (may include re-sends). */
  acknowledged: number;
  dropped: number;
  connects: number;
}

const WRITE_CHUNK = 256 * 1024;
const STABLE_CONNECTION_MS = 5000;

export class SyslogForwarder {
  private readonly options: SyslogForwarderOptions;
  private readonly clock: Clock;
  private readonly queue: SyslogQueue;
  private socket: Socket | null = null;
  private connected = false;
  private connectedAt = 0;
  private closing = false;
  private started = false;
  /** Sequence number of the next record to write on the current connection. */
  private sendSeq = 0;
  /** Written on this connection, waiting out the grace period: [last seq of a write, time written]. */
  private written: Array<[number, number]> = [];
  private writing = false;
  private backoff: number;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private acknowledged = 0;
  /** Records that never reached the queue (its disk failed). */
  private unqueued = 0;
  private connects = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(options: SyslogForwarderOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.backoff = options.minBackoffMs ?? 250;
    this.queue = SyslogQueue.open({
      dir: options.queueDir,
      maxBytes: options.maxQueueBytes ?? 16 * 1024 * 1024,
      onDropped: (count) => this.dropped(count, `syslog queue over ${options.maxQueueBytes ?? 16 * 1024 * 1024} bytes: oldest records dropped`),
    });
    this.sendSeq = this.queue.headSeq;
  }

  /** Connects (and keeps reconnecting) and sends whatever the queue holds, including records left from a previous run. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  /** Queues incidents durably (committed to the queue's SQLite file before return) and sends them when connected. */
  send(incidents: Incident | readonly Incident[], change?: IncidentChange): void {
    const list = Array.isArray(incidents) ? (incidents as readonly Incident[]) : [incidents as Incident];
    const frames = list.map((incident) =>
      frameOctetCounted(
        formatIncidentMessage(incident, {
          hostname: this.options.hostname,
          appName: this.options.appName ?? 'lifeboat',
          ...(this.options.facility !== undefined ? { facility: this.options.facility } : {}),
          ...(this.options.sdId !== undefined ? { sdId: this.options.sdId } : {}),
          ...(change ? { change } : {}),
        }),
      ),
    );
    try {
      this.queue.enqueue(frames);
    } catch (err) {
      // A full or failing disk must not take the service down with it: count and report.
      this.unqueued += frames.length;
      this.dropped(frames.length, `syslog queue not written: ${(err as Error).message}`);
      return;
    }
    // Dropped records may have been ahead of the send position.
    if (this.sendSeq < this.queue.headSeq) this.sendSeq = this.queue.headSeq;
    this.pump();
  }

  stats(): SyslogStats {
    return { connected: this.connected, queued: this.queue.size, queuedBytes: this.queue.bytes, acknowledged: this.acknowledged, dropped: this.queue.totalDropped + this.unqueued, connects: this.connects };
  }

  /** Resolves when every queued record is acknowledged (or after timeoutMs, with false). */
  idle(timeoutMs = 30_000): Promise<boolean> {
    if (this.queue.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  /** Waits up to drainMs for the queue to empty, then disconnects. Unacknowledged records stay on disk for the next start. */
  async close(drainMs = 0): Promise<void> {
    if (drainMs > 0 && this.started) await this.idle(drainMs);
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    const socket = this.socket;
    this.socket = null;
    this.connected = false;
    if (socket) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 1000).unref();
      });
    }
    this.queue.close();
  }

  private dropped(count: number, reason: string): void {
    this.options.onDiagnostic?.(diagnostic('syslog', 'syslog-dropped', `${count} records dropped: ${reason}`));
  }

  private connect(): void {
    if (this.closing) return;
    const { host, port, tls } = this.options;
    const socket = tls
      ? tlsConnect({ host, port, servername: tls.servername ?? host, rejectUnauthorized: tls.rejectUnauthorized ?? true, ...(tls.ca !== undefined ? { ca: tls.ca } : {}) })
      : netConnect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const timeout = setTimeout(() => socket.destroy(new Error(`no connection to ${host}:${port} within ${this.options.connectTimeoutMs ?? 10_000} ms`)), this.options.connectTimeoutMs ?? 10_000);
    timeout.unref();
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timeout);
      if (this.socket !== socket) return;
      this.connected = true;
      this.connectedAt = this.clock.now();
      this.connects++;
      this.sendSeq = this.queue.headSeq;
      this.written = [];
      this.pump();
    });
    // A syslog server sends nothing; reading keeps the socket flowing so 'end' (the server went away) is seen at once.
    socket.on('data', () => {});
    socket.on('end', () => this.lost(socket, 'the server closed the connection'));
    socket.on('error', (err) => this.lost(socket, err.message));
    socket.on('close', () => {
      clearTimeout(timeout);
      this.lost(socket, 'connection closed');
    });
  }

  /** The connection failed: everything not acknowledged is sent again after reconnecting. */
  private lost(socket: Socket, reason: string): void {
    if (this.socket !== socket) return;
    // Back-off resets only after a connection that lasted: a server that accepts and drops at
    // once (no backend behind a balancer, a TLS mismatch) must not be hammered.
    if (this.connected && this.clock.now() - this.connectedAt >= STABLE_CONNECTION_MS) this.backoff = this.options.minBackoffMs ?? 250;
    this.socket = null;
    this.connected = false;
    this.writing = false;
    this.written = [];
    this.sendSeq = this.queue.headSeq;
    socket.destroy();
    if (this.closing) return;
    const base = this.backoff;
    const retryInMs = Math.round(base * (0.8 + Math.random() * 0.4));
    this.backoff = Math.min(this.options.maxBackoffMs ?? 30_000, base * 2);
    this.options.onDiagnostic?.(diagnostic('syslog', 'syslog-disconnected', `disconnected: ${reason}; next try in ${retryInMs} ms`));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, retryInMs);
  }

  private pump(): void {
    const socket = this.socket;
    if (!this.connected || !socket || this.writing || this.closing) return;
    const batch = this.queue.peek(this.sendSeq, WRITE_CHUNK);
    if (batch.length === 0) return;
    const lastSeq = batch[batch.length - 1]!.seq;
    this.sendSeq = lastSeq + 1;
    this.writing = true;
    const more = socket.write(
      batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((e) => e.bytes)),
      (err) => {
        if (this.socket !== socket) return;
        if (err) return this.lost(socket, err.message);
        this.written.push([lastSeq, this.clock.now()]);
        this.scheduleGrace();
      },
    );
    const next = (): void => {
      if (this.socket !== socket) return;
      this.writing = false;
      this.pump();
    };
    if (more) {
      setImmediate(next);
      return;
    }
    // Write-progress watchdog: nothing drains, so nothing reaches the server; without this the
    // forwarder would wait on a dead connection for as long as TCP keeps it open.
    const stallMs = this.options.stallTimeoutMs ?? 30_000;
    const stalled = setTimeout(() => {
      if (this.socket === socket) this.lost(socket, `no write progress for ${stallMs} ms (the server stopped reading)`);
    }, stallMs);
    stalled.unref();
    // One pair of listeners per wait, each removing the other: a close listener left behind at
    // every drain piles up on a busy connection (Node warned of 11 on one socket).
    const onClose = (): void => clearTimeout(stalled);
    socket.once('drain', () => {
      clearTimeout(stalled);
      socket.off('close', onClose);
      next();
    });
    socket.once('close', onClose);
  }

  private scheduleGrace(): void {
    if (this.graceTimer || this.written.length === 0) return;
    const grace = this.options.ackGraceMs ?? 1000;
    const wait = Math.max(0, this.written[0]![1] + grace - this.clock.now());
    this.graceTimer = setTimeout(() => {
      this.graceTimer = null;
      this.acknowledgeGraced();
    }, wait);
  }

  private acknowledgeGraced(): void {
    if (!this.connected) return;
    const grace = this.options.ackGraceMs ?? 1000;
    const now = this.clock.now();
    let upTo = -1;
    while (this.written.length > 0 && this.written[0]![1] + grace <= now) upTo = this.written.shift()![0];
    if (upTo >= 0) {
      const before = this.queue.size;
      this.queue.ack(upTo);
      this.acknowledged += before - this.queue.size;
      if (this.queue.size === 0) {
        for (const waiter of this.idleWaiters.splice(0)) waiter();
      }
    }
    this.scheduleGrace();
  }
}
