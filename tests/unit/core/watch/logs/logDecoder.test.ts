import { describe, expect, it } from 'vitest';
import { LogDecoder, completePrefixLength, detectEncoding, forEachLine, type LogEncoding } from '../../../../../app/core/watch/logs/logDecoder.ts';

interface Line {
  text: string;
  offset: number;
  cut: boolean;
}

/** Feeds `bytes` in chunks of `chunkSize` and collects lines with offsets, plus skipped regions. */
function decode(bytes: Buffer, chunkSize: number, options: { maxLineBytes?: number } = {}) {
  const detected = detectEncoding(bytes)!;
  const lines: Line[] = [];
  const skipped: Array<{ kind: string; offset: number; bytes: number }> = [];
  const decoder = new LogDecoder(
    { encoding: detected.encoding, startOffset: detected.bomLength, ...options },
    {
      block: (block) => forEachLine(block, (text, offset, cut) => lines.push({ text, offset, cut })),
      skipped: (kind, offset, count) => skipped.push({ kind, offset, bytes: count }),
    },
  );
  for (let at = detected.bomLength; at < bytes.length; at += chunkSize) decoder.write(bytes.subarray(at, Math.min(bytes.length, at + chunkSize)));
  decoder.flushPartial();
  decoder.endPass();
  return { lines, skipped, encoding: detected.encoding, decoder };
}

function encode(text: string, encoding: LogEncoding, bom: boolean): Buffer {
  if (encoding === 'utf-8') return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  const le = Buffer.from(text, 'utf16le');
  const body = encoding === 'utf-16le' ? le : Buffer.from(le).swap16();
  return Buffer.concat([Buffer.from(encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

/** The byte offset at which each line of `text` starts in its encoded form. */
function expectedOffsets(text: string, encoding: LogEncoding, bomLength: number): number[] {
  const offsets: number[] = [];
  let offset = bomLength;
  for (const line of text.split('\n').slice(0, -1)) {
    offsets.push(offset);
    offset += encoding === 'utf-8' ? Buffer.byteLength(line + '\n') : (line.length + 1) * 2;
  }
  return offsets;
}

const SAMPLE = '2026-01-05 09:41:07,123 INFO Patient £ café ✓ 𝄞 emoji 😀\n   at Foo()\r\n2026-01-05 09:41:08,000 WARN ünïcödé\n';

describe('detectEncoding', () => {
  it('reads the BOM, defaults to UTF-8, and waits on a possible BOM prefix', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x41]))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    expect(detectEncoding(Buffer.from('2026'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(Buffer.from([0xef, 0xbb]))).toBeNull();
    expect(detectEncoding(Buffer.from([0xff]))).toBeNull();
  });
});

describe('LogDecoder', () => {
  const cases: Array<[LogEncoding, boolean]> = [
    ['utf-8', false],
    ['utf-8', true],
    ['utf-16le', true],
    ['utf-16be', true],
  ];
  it.each(cases)('%s (BOM %s): text and byte offsets are exact for every chunk size, including 1 byte', (encoding, bom) => {
    const bytes = encode(SAMPLE, encoding, bom);
    const bomLength = bom ? (encoding === 'utf-8' ? 3 : 2) : 0;
    for (const chunkSize of [1, 2, 3, 5, 7, 64, 4096]) {
      const { lines } = decode(bytes, chunkSize);
      expect(lines.map((l) => l.text)).toEqual(SAMPLE.replace(/\r/g, '').split('\n').slice(0, -1));
      expect(lines.map((l) => l.offset)).toEqual(expectedOffsets(SAMPLE.replace(/\r(?=\n)/g, '\r'), encoding, bomLength));
    }
  });

  it('keeps a multi-byte character split across two writes whole', () => {
    const bytes = Buffer.from('2026-01-05 09:41:07 € then 😀\n');
    const euro = bytes.indexOf(0xe2);
    const decoded = decode(Buffer.concat([bytes]), euro + 1); // the first chunk ends after the euro's first byte
    expect(decoded.lines[0]!.text).toBe('2026-01-05 09:41:07 € then 😀');
  });

  it('keeps a UTF-16 surrogate pair split across two writes whole', () => {
    const bytes = encode('a😀b\n', 'utf-16le', true);
    const { lines } = decode(bytes, 3); // 2 (BOM) + 3 + 3 ... splits inside the pair
    expect(lines[0]!.text).toBe('a😀b');
  });

  it('cuts a 3 MiB line at 1 MiB on a character boundary, skips the rest unbuffered, and keeps the next line exact', () => {
    const long = '2026-01-05 09:41:07 ' + 'é'.repeat(1.5 * 1024 * 1024); // 3 MiB of 2-byte characters
    const text = `${long}\n2026-01-05 09:41:08 next\n`;
    const { lines, skipped, decoder } = decode(Buffer.from(text), 64 * 1024);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.cut).toBe(true);
    expect(Buffer.byteLength(lines[0]!.text)).toBeLessThanOrEqual(1024 * 1024);
    expect(lines[0]!.text.endsWith('é')).toBe(true);
    expect(lines[1]).toEqual({ text: '2026-01-05 09:41:08 next', offset: Buffer.byteLength(long) + 1, cut: false });
    expect(skipped).toEqual([{ kind: 'line-cut', offset: 0, bytes: Buffer.byteLength(long) + 1 - Buffer.byteLength(lines[0]!.text) }]);
    expect(decoder.partialLineBytes).toBe(0);
  });

  it('skips a region of NUL bytes and junk as one binary diagnostic; lines after it are read', () => {
    const before = '2026-01-05 09:41:07 before\n';
    const junk = Buffer.concat([Buffer.alloc(5000), Buffer.from([0xff, 0xfe, 0x80, 0x0a, 0xc3, 0x28, 0x9f, 0x0a]), Buffer.alloc(300, 0)]);
    const after = '\n2026-01-05 09:41:09 after\n';
    const bytes = Buffer.concat([Buffer.from(before), junk, Buffer.from(after)]);
    const { lines, skipped } = decode(bytes, 1000);
    expect(lines.map((l) => l.text)).toEqual(['2026-01-05 09:41:07 before', '2026-01-05 09:41:09 after']);
    expect(lines[1]!.offset).toBe(before.length + junk.length + 1);
    expect(skipped).toEqual([{ kind: 'binary', offset: before.length, bytes: junk.length + 1 }]);
  });

  it('keeps a line with one mis-encoded byte (a Windows-1252 pound sign) as text', () => {
    const bytes = Buffer.concat([Buffer.from('2026-01-05 09:41:07 paid '), Buffer.from([0xa3]), Buffer.from('5.00\n')]);
    const { lines, skipped } = decode(bytes, 7);
    expect(lines[0]!.text).toBe('2026-01-05 09:41:07 paid \ufffd5.00');
    expect(skipped).toEqual([]);
  });

  it('hands over an unfinished last line only when flushed, without its incomplete last character', () => {
    const lines: string[] = [];
    const decoder = new LogDecoder({ encoding: 'utf-8', startOffset: 0 }, { block: (b) => forEachLine(b, (t) => lines.push(t)), skipped: () => undefined });
    const bytes = Buffer.from('2026-01-05 09:41:07 crash €');
    decoder.write(bytes.subarray(0, bytes.length - 1));
    expect(lines).toEqual([]);
    expect(decoder.resumeOffset).toBe(0);
    decoder.flushPartial();
    expect(lines).toEqual(['2026-01-05 09:41:07 crash ']);
    expect(decoder.resumeOffset).toBe(bytes.length - 3);
  });
});

describe('completePrefixLength', () => {
  it('never ends inside a character', () => {
    const euro = Buffer.from('a€');
    expect(completePrefixLength(euro.subarray(0, 2), 'utf-8')).toBe(1);
    expect(completePrefixLength(euro, 'utf-8')).toBe(4);
    const pair = Buffer.from('😀', 'utf16le');
    expect(completePrefixLength(pair.subarray(0, 2), 'utf-16le')).toBe(0);
    expect(completePrefixLength(pair.subarray(0, 3), 'utf-16le')).toBe(0);
  });
});
