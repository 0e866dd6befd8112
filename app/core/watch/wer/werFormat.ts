import { msToFiletime } from './filetime.ts';
import { exeNameFromPath } from './profileApps.ts';

export interface WerSigField {
  name: string;
  value: string;
}

/** What the simulated client (and tests) put in a Report.wer; the rest is filled the way WER does. */
export interface WerReportFields {
  eventType: string;
  eventTime: Date;
  appPath: string;
  /** Written as Sig[0..n] in this order; names as WER uses them ("Application Name", "Exception Code"...). */
  sigs: readonly WerSigField[];
  /** ReportIdentifier: a GUID, also the suffix of the report folder's name. */
  reportId: string;
  integratorReportId?: string;
  /** The `AppName` key: WER writes the file description here; defaults to the exe name without ".exe". */
  appName?: string;
  /** Defaults to "Stopped working" for crashes and "Stopped responding and was closed" for hangs. */
  friendlyEventName?: string;
  /** Written as DynamicSig[1..n], as WER numbers them. */
  dynamicSigs?: readonly WerSigField[];
  loadedModules?: readonly string[];
  /** Further Key=Value lines WER writes (OsInfo, State...), placed before FriendlyEventName. */
  extra?: readonly (readonly [key: string, value: string])[];
}

/** Thrown when a field would break the line-based format (a newline in a value, '=' in a key). */
export class WerFormatError extends Error {
  override readonly name = 'WerFormatError';
}

/**
 * Writes a Report.wer the way Windows does: UTF-16LE with a BOM, CRLF line ends, keys in
 * WER's order (header, NsAppName, Sig, DynamicSig, UI, LoadedModule, then the app identity).
 */
export function formatWerReport(fields: WerReportFields): Buffer {
  const exe = exeNameFromPath(fields.appPath);
  const exeAsWritten = fields.appPath.split(/[\\/]/).pop() ?? exe;
  const isHang = /^(mo)?apphang/i.test(fields.eventType);
  const lines: [string, string][] = [
    ['Version', '1'],
    ['EventType', fields.eventType],
    ['EventTime', msToFiletime(fields.eventTime.getTime()).toString()],
    ['ReportType', isHang ? '3' : '2'],
    ['Consent', '1'],
    ['ReportStatus', '268435456'],
    ['ReportIdentifier', fields.reportId],
  ];
  if (fields.integratorReportId !== undefined) lines.push(['IntegratorReportIdentifier', fields.integratorReportId]);
  lines.push(['NsAppName', exeAsWritten]);
  fields.sigs.forEach((sig, i) => lines.push([`Sig[${i}].Name`, sig.name], [`Sig[${i}].Value`, sig.value]));
  (fields.dynamicSigs ?? []).forEach((sig, i) => lines.push([`DynamicSig[${i + 1}].Name`, sig.name], [`DynamicSig[${i + 1}].Value`, sig.value]));
  const product = fields.appName ?? exeAsWritten.replace(/\.exe$/i, '');
  lines.push(['UI[2]', fields.appPath], ['UI[3]', `${product} ${isHang ? 'is not responding' : 'has stopped working'}`]);
  (fields.loadedModules ?? []).forEach((module, i) => lines.push([`LoadedModule[${i}]`, module]));
  for (const [key, value] of fields.extra ?? []) lines.push([key, value]);
  lines.push(
    ['FriendlyEventName', fields.friendlyEventName ?? (isHang ? 'Stopped responding and was closed' : 'Stopped working')],
    ['ConsentKey', fields.eventType],
    ['AppName', product],
    ['AppPath', fields.appPath],
  );

  const text = lines.map(([key, value]) => `${checkedKey(key)}=${checkedValue(key, value)}\r\n`).join('');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function checkedKey(key: string): string {
  if (key === '' || /[=\r\n]/.test(key)) throw new WerFormatError(`invalid Report.wer key "${key}"`);
  return key;
}

function checkedValue(key: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new WerFormatError(`the value of ${key} contains a line break, which Report.wer cannot hold`);
  return value;
}
