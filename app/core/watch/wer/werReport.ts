import { filetimeToMs } from './filetime.ts';
import { exeNameFromPath } from './profileApps.ts';
import { werFact, type WerBucket } from './werSignatures.ts';
import { decodeUnicodeText, hasBinaryControlCharacters, UndecodableTextError } from './unicodeText.ts';

export { filetimeToMs, msToFiletime } from './filetime.ts';
export { werSignal } from './werSignal.ts';
export { formatWerReport, type WerReportFields, type WerSigField } from './werFormat.ts';

/**
 * One Windows Error Reporting manifest (Report.wer) read from disk.
 * `Sig[n]` meanings depend on EventType (APPCRASH puts the exception code at Sig[6], BEX64 at
 * Sig[7]), so signatures are keyed by their `Sig[n].Name`, never by index.
 */
export interface WerReport {
  /** APPCRASH, CLR20r3, BEX64, AppHangB1, ... exactly as written. */
  eventType: string;
  /** EventTime as ms since the epoch (UTC); null when missing or not a FILETIME. */
  eventTime: number | null;
  /** The `AppName` key: often the product description ("WinSCP: SFTP, FTP..."), not the exe. */
  appName: string | null;
  appPath: string | null;
  /** Lower-case executable file name ("emisweb.exe"), from AppPath, else the signature, else NsAppName. */
  exeName: string | null;
  /** ReportIdentifier: also the GUID at the end of the report's folder name; survives Queue → Archive. */
  reportId: string | null;
  /** IntegratorReportIdentifier: the "Report Id" that Event Log 1000 carries for the same crash. */
  integratorReportId: string | null;
  friendlyEventName: string | null;
  /** Sig[n].Name → Sig[n].Value. */
  signatures: Record<string, string>;
  /** Sig[n].Value by n: read by position when the names are localized (werSignatures.ts). */
  signatureValues: string[];
  /** DynamicSig[n].Name → DynamicSig[n].Value (OS version, locale...). */
  dynamicSignatures: Record<string, string>;
  /** Every Key=Value line, as written (last one wins on a repeated key). */
  raw: Record<string, string>;
  /** Where it was read from (file path), when the caller said. */
  origin?: string;
}

export type WerParseFailure = 'empty' | 'undecodable' | 'binary' | 'not-key-value' | 'no-event-type';

/** A Report.wer that cannot be read as one: says which file and why, so IT can look at it. */
export class WerParseError extends Error {
  override readonly name = 'WerParseError';
  readonly reason: WerParseFailure;
  readonly origin: string | undefined;
  constructor(reason: WerParseFailure, detail: string, origin?: string) {
    super(`${origin ?? 'Report.wer'} is not a readable WER report: ${detail}`);
    this.reason = reason;
    this.origin = origin;
  }
}

/** Keys as WER writes them: `EventType`, `Sig[0].Name`, `Response.BucketId`, `OsInfo[29].Key`. */
const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z0-9_]+(?:\[\d+\])?)*$/;
const INDEXED_SIG = /^(Sig|DynamicSig)\[(\d+)\]\.(Name|Value)$/;

export function parseWerReport(bytes: Buffer | Uint8Array, origin?: string): WerReport {
  if (bytes.length === 0) throw new WerParseError('empty', 'the file is empty', origin);
  let text: string;
  try {
    text = decodeUnicodeText(bytes).text;
  } catch (err) {
    if (err instanceof UndecodableTextError) throw new WerParseError('undecodable', err.message, origin);
    throw err;
  }
  if (hasBinaryControlCharacters(text)) throw new WerParseError('binary', 'it contains binary data', origin);

  const raw = readKeyValueLines(text, origin);
  const eventType = raw['EventType']?.trim();
  if (!eventType) throw new WerParseError('no-event-type', 'there is no EventType line', origin);

  const { signatures, signatureValues, dynamicSignatures } = resolveSignatures(raw);
  const appPath = nonEmpty(raw['AppPath']);
  const report: WerReport = {
    eventType,
    eventTime: parseEventTime(raw['EventTime']),
    appName: nonEmpty(raw['AppName']),
    appPath,
    exeName: exeNameOf(appPath, { eventType, named: signatures, positional: signatureValues }, raw),
    reportId: nonEmpty(raw['ReportIdentifier']),
    integratorReportId: nonEmpty(raw['IntegratorReportIdentifier']),
    friendlyEventName: nonEmpty(raw['FriendlyEventName']),
    signatures,
    signatureValues,
    dynamicSignatures,
    raw,
  };
  if (origin !== undefined) report.origin = origin;
  return report;
}

function readKeyValueLines(text: string, origin: string | undefined): Record<string, string> {
  const raw: Record<string, string> = {};
  let good = 0;
  let bad = 0;
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!KEY_PATTERN.test(key)) {
      bad++;
      continue;
    }
    // Only the first '=' separates: values such as command lines or URLs contain '=' themselves.
    raw[key] = line.slice(eq + 1);
    good++;
  }
  if (good === 0) throw new WerParseError('not-key-value', 'no Key=Value lines', origin);
  // A WER manifest is Key=Value throughout; a text file that merely contains a few is not one.
  if (bad > good) throw new WerParseError('not-key-value', `${bad} of ${good + bad} lines are not Key=Value`, origin);
  return raw;
}

function resolveSignatures(raw: Record<string, string>): { signatures: Record<string, string>; signatureValues: string[]; dynamicSignatures: Record<string, string> } {
  const parts = { Sig: new Map<number, { name?: string; value?: string }>(), DynamicSig: new Map<number, { name?: string; value?: string }>() };
  for (const [key, value] of Object.entries(raw)) {
    const m = INDEXED_SIG.exec(key);
    if (!m) continue;
    const table = parts[m[1] as 'Sig' | 'DynamicSig'];
    const index = Number(m[2]);
    const entry = table.get(index) ?? {};
    if (m[3] === 'Name') entry.name = value;
    else entry.value = value;
    table.set(index, entry);
  }
  const byName = (table: Map<number, { name?: string; value?: string }>): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const index of [...table.keys()].sort((a, b) => a - b)) {
      const { name, value } = table.get(index) ?? {};
      if (name !== undefined && name.trim() !== '') out[name.trim()] = value ?? '';
    }
    return out;
  };
  const signatureValues: string[] = [];
  for (const [index, { value }] of parts.Sig) if (index < 64) signatureValues[index] = value ?? '';
  return { signatures: byName(parts.Sig), signatureValues: Array.from(signatureValues, (v) => v ?? ''), dynamicSignatures: byName(parts.DynamicSig) };
}

function parseEventTime(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d{1,20}\s*$/.test(value) || /^\s*0+\s*$/.test(value)) return null;
  return filetimeToMs(value);
}

function exeNameOf(appPath: string | null, bucket: WerBucket, raw: Record<string, string>): string | null {
  if (appPath !== null) {
    const fromPath = exeNameFromPath(appPath);
    if (fromPath !== '') return fromPath;
  }
  const fromSignature = werFact(bucket, 'app');
  if (fromSignature) return exeNameFromPath(fromSignature);
  const ns = nonEmpty(raw['NsAppName']);
  return ns === null ? null : exeNameFromPath(ns);
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
