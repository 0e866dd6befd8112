import { LITERAL_FILTER_WASM } from './literalFilterWasm.ts';

/**
 * Finds the lines of a chunk that hold any of a set of literals, optionally with ASCII case
 * folding, in one pass at native speed: a small WebAssembly filter (literalFilter.wat) proposes
 * the positions where a literal's 3- or 4-byte key ends, and this class checks the literal there.
 * One pass whatever the number of literals, where Buffer.indexOf needs one pass per literal and a
 * combined case-insensitive V8 expression is ~0.8× grep.
 *
 * Positions are byte offsets in the chunk; non-ASCII literals are matched as their UTF-8 bytes
 * (exactly: only ASCII letters fold).
 */
export class LiteralSearch {
  private readonly key: number;
  private readonly mask: number;
  /** Folded key value → the literals whose key it is, with where the key sits in them. */
  private readonly byKey = new Map<number, Array<{ bytes: Uint8Array; offset: number }>>();
  private readonly fold: Uint8Array;
  private readonly memory: WasmMemory;
  private readonly scan: (pos: number, end: number, out: number, cap: number, mask: number) => number;

  constructor(literals: readonly string[], ignoreCase: boolean) {
    const encoded = literals.map((literal) => Buffer.from(literal, 'utf8'));
    if (encoded.length === 0 || encoded.some((bytes) => bytes.length < 3)) throw new RangeError('LiteralSearch needs literals of at least 3 bytes');
    this.key = Math.min(4, ...encoded.map((bytes) => bytes.length));
    this.mask = this.key === 4 ? 0xffffffff : 0x00ffffff;
    this.fold = new Uint8Array(256);
    for (let byte = 0; byte < 256; byte++) this.fold[byte] = ignoreCase && byte >= 65 && byte <= 90 ? byte + 32 : byte;
    const module = new wasm.Module(Buffer.from(LITERAL_FILTER_WASM, 'base64'));
    const instance = new wasm.Instance(module, {});
    this.memory = instance.exports['memory'] as WasmMemory;
    this.scan = instance.exports['scan'] as LiteralSearch['scan'];
    const tables = new Uint8Array(this.memory.buffer, 0, TABLES_BYTES);
    tables.set(this.fold, 0);
    for (const bytes of encoded) {
      const folded = Uint8Array.from(bytes, (byte) => this.fold[byte]!);
      const offset = rarestWindow(folded, this.key);
      const key = keyOf(folded, offset, this.key);
      tables[FILTER_AT + hashOf(key)] = 1;
      const list = this.byKey.get(key) ?? [];
      list.push({ bytes: folded, offset });
      this.byKey.set(key, list);
    }
  }

  /** Start offsets of the lines of `bytes` that hold a literal, ascending, one per line. */
  linesHolding(bytes: Uint8Array): number[] {
    const length = bytes.length;
    this.ensureRoom(length);
    const heap = new Uint8Array(this.memory.buffer);
    heap.set(bytes, INPUT_AT);
    const starts: number[] = [];
    let resumeAt = 0;
    let skipUntil = -1; // a hit was found on the line ending here: later candidates on it add nothing
    for (;;) {
      const found = this.scan(INPUT_AT + resumeAt, INPUT_AT + length, OUT_AT, OUT_CAPACITY, this.mask);
      const out = new Uint32Array(this.memory.buffer, OUT_AT, found);
      for (let i = 0; i < found; i++) {
        const last = out[i]! - INPUT_AT; // index of the key's last byte
        if (last <= skipUntil) continue;
        const start = this.literalAt(bytes, last);
        if (start === -1) continue;
        const lineStart = start === 0 ? 0 : bytes.lastIndexOf(10, start - 1) + 1;
        if (starts[starts.length - 1] !== lineStart) starts.push(lineStart);
        const newline = bytes.indexOf(10, last);
        skipUntil = newline === -1 ? length : newline;
      }
      if (found < OUT_CAPACITY) return starts;
      // The output filled up: go on after the last candidate, re-reading the bytes its key needs.
      resumeAt = Math.max(0, out[found - 1]! - INPUT_AT + 1 - (this.key - 1));
    }
  }

  /** Where a literal whose key ends at `last` begins, or -1 when none is really there. */
  private literalAt(bytes: Uint8Array, last: number): number {
    const keyStart = last - this.key + 1;
    if (keyStart < 0) return -1;
    let key = 0;
    for (let i = keyStart; i <= last; i++) key = ((key << 8) | this.fold[bytes[i]!]!) >>> 0;
    const candidates = this.byKey.get(key);
    if (candidates === undefined) return -1;
    for (const { bytes: literal, offset } of candidates) {
      const start = keyStart - offset;
      if (start < 0 || start + literal.length > bytes.length) continue;
      let j = 0;
      while (j < literal.length && this.fold[bytes[start + j]!] === literal[j]) j++;
      if (j === literal.length) return start;
    }
    return -1;
  }

  private ensureRoom(length: number): void {
    const needed = INPUT_AT + length;
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil((needed - have) / 65536));
  }
}

/** The few WebAssembly calls used here (the project compiles without the DOM typings that declare them). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: Record<string, unknown> } } }).WebAssembly;

/** Memory layout shared with literalFilter.wat: fold table, key filter, candidate output, input. */
const FILTER_AT = 256;
const TABLES_BYTES = FILTER_AT + 65536;
const OUT_AT = TABLES_BYTES;
const OUT_CAPACITY = 16384;
const INPUT_AT = OUT_AT + OUT_CAPACITY * 4;

function keyOf(bytes: Uint8Array, offset: number, length: number): number {
  let key = 0;
  for (let i = offset; i < offset + length; i++) key = ((key << 8) | bytes[i]!) >>> 0;
  return key;
}

/** The same hash as the .wat: multiply by the golden-ratio constant, keep the top 16 bits. */
function hashOf(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 16;
}

/**
 * English letter frequency ranks (space and common letters high): the key is taken where a
 * literal's bytes are least common in text, so the filter proposes fewer false positions.
 */
const COMMONNESS = new Map([...' etaoinshrdlucmfwypvbgkjqxz'].map((c, i) => [c.charCodeAt(0), 27 - i]));

function rarestWindow(bytes: Uint8Array, length: number): number {
  let best = 0;
  let bestScore = Infinity;
  for (let offset = 0; offset + length <= bytes.length; offset++) {
    let score = 0;
    for (let i = offset; i < offset + length; i++) score += COMMONNESS.get(bytes[i]! | 0x20) ?? 0;
    if (score < bestScore) {
      best = offset;
      bestScore = score;
    }
  }
  return best;
}
