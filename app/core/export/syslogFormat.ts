import type { Incident, IncidentKind } from '../../common/incident.ts';
import { redactText } from '../../common/redact.ts';

/**
 * Incidents as RFC 5424 syslog messages with structured data, framed by octet counting
 * (RFC 6587 §3.4.1) for TCP and TLS (RFC 5425):
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [lifeboat@32473 kind="crash" …] BOM MSG
 *
 * 32473 is the Private Enterprise Number RFC 5612 reserves for documentation; a trust with its
 * own PEN sets `sdId` (e.g. "lifeboat@12345"). Every free-text value is redacted again here:
 * a SIEM is outside the practice.
 */

export const DEFAULT_SD_ID = 'lifeboat@32473';
/** local0: the facility a SIEM team usually gives an application of their own. */
export const DEFAULT_FACILITY = 16;
const MAX_MSG_CHARS = 1500;

/** RFC 5424 severities: crash = error (3), hang and unexplained exit = warning (4), slow = notice (5). */
export const SEVERITY: Record<IncidentKind, number> = { crash: 3, hang: 4, exit: 4, slow: 5 };

export type IncidentChange = 'opened' | 'updated' | 'closed';

export interface SyslogHeaderOptions {
  hostname: string;
  appName?: string;
  procId?: string | number;
  facility?: number;
  sdId?: string;
}

/** PRINTUSASCII (33–126) only, at most `max` characters; NILVALUE "-" when nothing is left. */
export function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** SD-NAME: PRINTUSASCII except '=', SP, ']', '"', at most 32 characters. */
function sdName(value: string): string {
  const clean = value.replace(/[^\x21-\x7e]|[=\]"]/g, '_').slice(0, 32);
  if (clean === '') throw new Error('an SD-NAME cannot be empty');
  return clean;
}

/** PARAM-VALUE: '"', '\' and ']' escaped with a backslash (RFC 5424 §6.3.3); control characters become spaces. */
export function escapeParamValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/["\\\]]/g, (c) => `\\${c}`);
}

export function structuredData(sdId: string, params: ReadonlyArray<readonly [string, string | number | null | undefined]>): string {
  const id = sdId.includes('@') ? sdId.split('@').map(sdName).join('@') : sdName(sdId);
  const parts = params.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([name, v]) => `${sdName(name)}="${escapeParamValue(String(v))}"`);
  return `[${id}${parts.length ? ' ' + parts.join(' ') : ''}]`;
}

/** RFC 3339 as RFC 5424 wants it: UTC, "Z", at most 6 fraction digits (toISOString gives 3). */
const timestamp = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '-';
};

/** One syslog message (no framing) for an incident: the MSG part starts with the UTF-8 BOM. */
export function formatIncidentMessage(incident: Incident, options: SyslogHeaderOptions & { change?: IncidentChange }): string {
  const facility = options.facility ?? DEFAULT_FACILITY;
  const pri = facility * 8 + SEVERITY[incident.kind];
  const signature = incident.signature === null ? null : redactText(incident.signature);
  const firstEvidence = incident.evidence[0] === undefined ? null : redactText(incident.evidence[0]);
  const sd = structuredData(options.sdId ?? DEFAULT_SD_ID, [
    ['kind', incident.kind],
    ['app', incident.app],
    ['profile', incident.profile],
    ['incident', incident.id],
    ['change', options.change ?? null],
    ['startedAt', incident.startedAt],
    ['endedAt', incident.endedAt],
    ['sources', incident.sources.join(',')],
    ['signature', signature],
    ['workstation', incident.workstation ?? null],
    ['evidenceLines', incident.evidence.length],
  ]);
  const state = incident.endedAt === null ? 'ongoing' : `ended ${incident.endedAt}`;
  let msg = `${incident.kind} of ${incident.app} (${incident.profile}) ${state}${signature ? `: ${signature}` : ''}${firstEvidence ? ` | ${firstEvidence}` : ''}`;
  msg = msg.replace(/[\r\n]+/g, ' ⏎ ');
  if (msg.length > MAX_MSG_CHARS) msg = `${msg.slice(0, MAX_MSG_CHARS - 1)}…`;
  const header = [
    `<${pri}>1`,
    timestamp(incident.startedAt),
    headerField(options.hostname, 255),
    headerField(options.appName ?? 'lifeboat', 48),
    headerField(String(options.procId ?? process.pid), 128),
    headerField('incident', 32),
  ].join(' ');
  return `${header} ${sd} \uFEFF${msg}`;
}

/** Octet-counting framing: "MSG-LEN SP SYSLOG-MSG", the length in bytes of the UTF-8 message. */
export function frameOctetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** Reads frames back ("123 <…>…"): for the queue's recovery and for tests. Stops at a torn tail. */
export function parseOctetCountedFrames(data: Buffer): { frames: Buffer[]; consumed: number } {
  const frames: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0 || space - at > 10) break;
    const digits = data.toString('ascii', at, space);
    if (!/^[1-9]\d*$/.test(digits)) break;
    const end = space + 1 + Number(digits);
    if (end > data.length) break;
    frames.push(data.subarray(at, end));
    at = end;
  }
  return { frames, consumed: at };
}
