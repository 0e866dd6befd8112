/**
 * Looking up Report.wer signature parameters by name. Names are matched without regard to case:
 * the CLR writes "Problem Signature 01" on some Windows builds and "Problem signature 1" on others.
 */

/** The value of the signature called `name` (case-insensitive), or null when absent or blank. */
export function signatureValue(signatures: Record<string, string>, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(signatures)) {
    if (key.toLowerCase() === wanted && value.trim() !== '') return value.trim();
  }
  return null;
}

/**
 * The CLR20r3 parameter Pn. The CLR does not name its parameters, so WER labels them
 * "Problem Signature 01".."09" (P1 AppName, P2 AppVer, P3 AppStamp, P4 AsmAndModName, P5 AsmVer,
 * P6 ModStamp, P7 MethodDef, P8 IL offset, P9 ExceptionType).
 */
export function problemSignature(signatures: Record<string, string>, n: number): string | null {
  const pattern = new RegExp(`^problem signature 0*${n}$`, 'i');
  for (const [key, value] of Object.entries(signatures)) {
    if (pattern.test(key.trim()) && value.trim() !== '') return value.trim();
  }
  return null;
}
