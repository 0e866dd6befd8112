import { INCIDENT_KINDS, SIGNAL_SOURCES, type Incident, type IncidentKind, type SignalSource } from '../../common/incident.ts';
import { redactText } from '../../common/redact.ts';
import { shareMac } from './shareAuth.ts';

/**
 * The practice share's file format. One folder per workstation, one file per calendar month
 * (UTC, by incident start), each file replaced whole by temp + rename, so a reader sees a
 * complete old or complete new file and concurrent readers never see a torn one:
 *
 *   <share>/<WORKSTATION>/2026-01.ndjson
 *     {"lifeboatPractice":1,"workstation":"WS01","month":"2026-01","writerId":"…","writtenAt":"…","records":2}
 *     {"id":"…","kind":"crash","app":"emisweb.exe","profile":"emis-web","startedAt":"…","endedAt":"…","sources":["log"],"signature":"…","evidence":["…"]}
 *     …
 *
 * Only one process writes a workstation's folder (the workstation's own Lifeboat), so the
 * whole-file rewrite loses nothing; a month is at most a few thousand lines.
 * `writtenAt` is the writer's clock at the moment it wrote the file: compared with the file's
 * modification time (set by the file server) it estimates each PC's clock skew.
 */

export const SHARE_FORMAT_VERSION = 1;
export const SHARE_FILE = /^(\d{4}-(?:0[1-9]|1[0-2]))\.ndjson$/;
/** Windows computer names fit (15 NetBIOS characters, or longer DNS host names). */
export const WORKSTATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The share is read by every PC in the practice: only a little evidence, redacted, goes there. */
export const SHARE_EVIDENCE_LINES = 3;
export const SHARE_EVIDENCE_CHARS = 500;

export interface ShareHeader {
  lifeboatPractice: typeof SHARE_FORMAT_VERSION;
  workstation: string;
  month: string;
  writerId: string;
  writtenAt: string;
  records: number;
  /** HMAC of the file with the practice key (shareAuth.ts); absent when no key is configured. */
  mac?: string;
}

/** What a workstation shares about one incident: no draft, no patient reference, redacted evidence. */
export interface ShareRecord {
  id: string;
  kind: IncidentKind;
  app: string;
  profile: string;
  startedAt: string;
  endedAt: string | null;
  sources: SignalSource[];
  signature: string | null;
  evidence: string[];
}

/** A computer name made safe as a folder name on any share ("DR SMITH'S PC" → "DR_SMITH_S_PC"). */
export function safeWorkstationName(name: string): string {
  const cleaned = name.trim().replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '').slice(0, 64);
  return cleaned === '' ? 'unnamed' : cleaned;
}

export const monthOf = (iso: string): string => iso.slice(0, 7);

const cap = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Picks the shared fields by name (an incident object carrying anything else cannot pass it on)
 * and redacts every free-text field again: the share leaves this PC.
 */
export function toShareRecord(incident: Incident): ShareRecord {
  return {
    id: incident.id,
    kind: incident.kind,
    app: incident.app,
    profile: incident.profile,
    startedAt: new Date(Date.parse(incident.startedAt)).toISOString(),
    endedAt: incident.endedAt === null ? null : new Date(Date.parse(incident.endedAt)).toISOString(),
    sources: incident.sources.filter((s) => (SIGNAL_SOURCES as readonly string[]).includes(s)),
    signature: incident.signature === null ? null : cap(redactText(incident.signature), 160),
    evidence: incident.evidence.slice(0, SHARE_EVIDENCE_LINES).map((line) => cap(redactText(line), SHARE_EVIDENCE_CHARS)),
  };
}

export function renderShareFile(header: Omit<ShareHeader, 'records' | 'lifeboatPractice' | 'mac'>, records: readonly ShareRecord[], key: Buffer | null = null): string {
  const head: ShareHeader = { lifeboatPractice: SHARE_FORMAT_VERSION, ...header, records: records.length };
  let body = '';
  for (const r of records) body += JSON.stringify(r) + '\n';
  const headLine = JSON.stringify(head);
  if (key === null) return `${headLine}\n${body}`;
  const mac = shareMac(key, headLine);
  mac.update(body);
  return `${JSON.stringify({ ...head, mac: mac.digestHex() })}\n${body}`;
}

/** The header line as the writer serialised it before adding its mac: what the mac covers. */
export function headerWithoutMac(header: ShareHeader): string {
  const { mac: _mac, ...rest } = header;
  return JSON.stringify(rest);
}

const KINDS = new Set<string>(INCIDENT_KINDS);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** Parses a header line; a string saying what is wrong when it is not one. */
export function parseShareHeader(line: string): ShareHeader | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'the first line is not JSON (not a Lifeboat practice file, or damaged)';
  }
  if (typeof value !== 'object' || value === null) return 'the first line is not a header object';
  const h = value as Record<string, unknown>;
  if (h.lifeboatPractice !== SHARE_FORMAT_VERSION) {
    return typeof h.lifeboatPractice === 'number' ? `format version ${h.lifeboatPractice} is newer than this Lifeboat reads (${SHARE_FORMAT_VERSION})` : 'no Lifeboat practice header';
  }
  if (typeof h.workstation !== 'string' || typeof h.month !== 'string' || typeof h.writerId !== 'string') return 'the header lacks workstation, month or writerId';
  if (typeof h.writtenAt !== 'string' || !ISO.test(h.writtenAt)) return 'the header has no valid writtenAt time';
  if (typeof h.records !== 'number' || !Number.isInteger(h.records) || h.records < 0) return 'the header has no valid record count';
  if (h.mac !== undefined && typeof h.mac !== 'string') return 'the header has an invalid mac';
  return h as unknown as ShareHeader;
}

/**
 * Parses one record line by hand (a practice merge reads a million of them: a schema library
 * per line would dominate the time). A string saying what is wrong when it is not a record.
 */
export function parseShareRecord(line: string): ShareRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return 'no id';
  if (typeof r.kind !== 'string' || !KINDS.has(r.kind)) return `unknown kind ${JSON.stringify(r.kind)}`;
  if (typeof r.startedAt !== 'string' || !ISO.test(r.startedAt)) return 'no valid startedAt';
  if (r.endedAt !== null && (typeof r.endedAt !== 'string' || !ISO.test(r.endedAt))) return 'invalid endedAt';
  if (typeof r.app !== 'string' || typeof r.profile !== 'string') return 'no app or profile';
  if (!Array.isArray(r.sources) || !Array.isArray(r.evidence)) return 'no sources or evidence list';
  if (r.signature !== null && typeof r.signature !== 'string') return 'invalid signature';
  return r as unknown as ShareRecord;
}
