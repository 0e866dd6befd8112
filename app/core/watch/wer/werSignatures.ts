/**
 * Reading the parameters of a Windows Error Reporting bucket: the `Sig[n]` lines of a Report.wer
 * and the P1…P10 of Event 1001 ("Windows Error Reporting"). Their meaning depends on the event
 * type. Windows names them in the display language ("Fault Module Name", "故障模块名称", "Nom du
 * module défaillant"), so a value is looked up by its English name first and, when the names are
 * not English, by its position, which is fixed per event type.
 */

/** What Lifeboat reads from a bucket. */
export type WerFact = 'app' | 'appVersion' | 'module' | 'exceptionCode' | 'clrException' | 'clrWhere';

/** Sig index of each fact, per event type (lower case). Same order as Event 1001's P1…P10. */
const POSITIONS: Record<string, Partial<Record<WerFact, number>>> = {
  appcrash: { app: 0, appVersion: 1, module: 3, exceptionCode: 6 },
  // Store apps put the package name first.
  moappcrash: { app: 1, appVersion: 2, module: 4, exceptionCode: 7 },
  // Buffer overrun / DEP stop: the offset comes before the code.
  bex: { app: 0, appVersion: 1, module: 3, exceptionCode: 7 },
  bex64: { app: 0, appVersion: 1, module: 3, exceptionCode: 7 },
  // The CLR does not name its parameters: P1 AppName, P2 AppVer, P3 AppStamp, P4 AsmAndModName,
  // P5 AsmVer, P6 ModStamp, P7 MethodDef, P8 IL offset, P9 ExceptionType.
  clr20r3: { app: 0, appVersion: 1, clrWhere: 3, clrException: 8 },
  apphangb1: { app: 0, appVersion: 1 },
  apphangxprocb1: { app: 0, appVersion: 1 },
  apphangtransient: { app: 0, appVersion: 1 },
  moapphang: { app: 1, appVersion: 2 },
};

/** The English names WER writes on an English Windows. */
const ENGLISH_NAMES: Partial<Record<WerFact, string>> = {
  app: 'Application Name',
  appVersion: 'Application Version',
  module: 'Fault Module Name',
  exceptionCode: 'Exception Code',
};
const CLR_PARAMETER: Partial<Record<WerFact, number>> = { app: 1, appVersion: 2, clrWhere: 4, clrException: 9 };
const KNOWN_NAMES = new Set([...Object.values(ENGLISH_NAMES), 'Package Full Name', 'Application Timestamp', 'Fault Module Version', 'Fault Module Timestamp', 'Exception Offset', 'Exception Data', 'Hang Signature', 'Hang Type'].map((n) => n.toLowerCase()));

/** One bucket's parameters: by name (Report.wer) and by position (both). */
export interface WerBucket {
  eventType: string;
  /** Sig[n].Name → value; empty for Event 1001, which carries positions only. */
  named: Record<string, string>;
  /** Values in Sig / P order. */
  positional: readonly string[];
}

/** A fact of the bucket, by English name, CLR parameter name, or position when names are localized; null when absent or blank. */
export function werFact(bucket: WerBucket, fact: WerFact): string | null {
  const type = bucket.eventType.toLowerCase();
  const english = ENGLISH_NAMES[fact];
  if (english !== undefined) {
    const value = signatureValue(bucket.named, english);
    if (value !== null) return value;
  }
  const clr = CLR_PARAMETER[fact];
  if (type === 'clr20r3' && clr !== undefined) {
    const value = problemSignature(bucket.named, clr);
    if (value !== null) return value;
  }
  // Positions are used only when the names are not ones we know: an English report missing a
  // field must not borrow another field's value.
  const namesKnown = Object.keys(bucket.named).some((name) => KNOWN_NAMES.has(name.trim().toLowerCase()) || /^problem signature \d+$/i.test(name.trim()));
  const index = POSITIONS[type]?.[fact];
  if (namesKnown || index === undefined) return null;
  const value = bucket.positional[index]?.trim();
  return value ? value : null;
}

/** The value of the signature called `name` (case-insensitive), or null when absent or blank. */
export function signatureValue(signatures: Record<string, string>, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(signatures)) {
    if (key.trim().toLowerCase() === wanted && value.trim() !== '') return value.trim();
  }
  return null;
}

/**
 * The CLR20r3 parameter Pn. WER labels them "Problem Signature 01".."09" on some builds and
 * "Problem signature 1" on others.
 */
export function problemSignature(signatures: Record<string, string>, n: number): string | null {
  const pattern = new RegExp(`^problem signature 0*${n}$`, 'i');
  for (const [key, value] of Object.entries(signatures)) {
    if (pattern.test(key.trim()) && value.trim() !== '') return value.trim();
  }
  return null;
}
