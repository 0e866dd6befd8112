/** Conversions of the values koffi hands back from Win32 calls. */

/** koffi gives pointers and handles as bigint and NULL as null; 0n is NULL too. */
export function asHandle(value: unknown): bigint | null {
  return typeof value === 'bigint' && value !== 0n ? value : null;
}

/** 64-bit integers arrive as number or bigint depending on size; styles and ids live in the low 32 bits. */
export function toInt32(value: unknown): number {
  return Number(BigInt.asIntN(32, BigInt(value as number | bigint)));
}

/** A pointer written through an out parameter into an 8-byte buffer (zero-filled, so 32-bit pointers read right too). */
export function readPointerOut(out: Buffer): bigint | null {
  const value = out.readBigUInt64LE(0);
  return value === 0n ? null : value;
}
