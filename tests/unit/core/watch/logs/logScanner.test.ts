import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linearPattern, nativePattern } from '../../../../../app/core/watch/logs/linePattern.ts';
import { buildLogMatcher, type LogPatterns } from '../../../../../app/core/watch/logs/logMatcher.ts';
import { scanLogFile } from '../../../../../app/core/watch/logs/logScanner.ts';

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const caseSensitive: LogPatterns = {
  crash: [nativePattern('serious problem and needs to close', false), nativePattern('OutOfMemoryException', false)],
  hang: [nativePattern('Not Responding', false)],
  slow: [nativePattern(String.raw`timed out after \d+ ms`, false)],
};
const caseInsensitive: LogPatterns = {
  crash: [linearPattern('serious problem and needs to close', true), nativePattern('outofmemoryexception', true)],
  hang: [linearPattern('not responding', true)],
  slow: [nativePattern(String.raw`timed out after \d+ ms`, true)],
};
/** No literal at all: built-ins searched by their own expression, a configured one on every line. */
const withoutLiterals: LogPatterns = {
  crash: [nativePattern('serious problem and needs to close', true), nativePattern(String.raw`OutOfMemory\w*`, false), linearPattern(String.raw`^\S+ \S+ \[1\] FATAL\b`, false)],
  hang: [nativePattern(String.raw`Not\s+Responding`, false)],
  slow: [linearPattern(String.raw`timed\s+out after \d+ ms`, true)],
};

function ts(i: number): string {
  return `2026-01-05 09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${String(i % 1000).padStart(3, '0')}`;
}

/** A log with plain lines, a crash whose stack trace names OutOfMemoryException again, and a hit only inside a stack trace. */
function sampleLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    lines.push(`${ts(i)} [7] INFO  Emis.Web.Ui - loaded view ${i}`);
    if (i === 100) lines.push(`${ts(i)} [1] FATAL Emis.Web - EMIS Web has encountered a serious problem and needs to close`, 'System.OutOfMemoryException: Exception of type System.OutOfMemoryException was thrown.', '   at Emis.Web.Grid.Render()', '   at Emis.Web.App.Main()');
    if (i === 200) lines.push(`${ts(i)} [7] ERROR Emis.Web.Data - save failed`, 'System.AggregateException: one or more errors ---> System.OutOfMemoryException', '   at Emis.Web.Data.Save()');
    if (i === 250) lines.push(`${ts(i)} [9] WARN  Emis.Web.Ui - UI thread Not Responding for 6000 ms`);
    if (i === 300) lines.push(`${ts(i)} [9] WARN  Emis.Web.Net - GetPatient timed out after 30000 ms`);
  }
  lines.push(`${ts(999)} [1] FATAL Emis.Web - serious problem and needs to close`, '   at Last.Frame()');
  return lines.join('\r\n') + '\r\n';
}

function naiveMatchingLines(text: string, patterns: LogPatterns): number {
  const all = [...patterns.crash, ...patterns.hang, ...patterns.slow];
  return text.split(/\r?\n/).filter((line) => all.some((re) => re.test(line))).length;
}

describe('scanLogFile', () => {
  const text = sampleLog();
  const files = {
    'utf-8': Buffer.from(text),
    'utf-16le': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    'utf-16be': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
  };
  for (const [encoding, bytes] of Object.entries(files)) {
    for (const [label, patterns] of [['byte literals', caseSensitive], ['case-folded literals', caseInsensitive], ['no literals', withoutLiterals]] as const) {
      for (const chunkBytes of [97, 4096, 1024 * 1024]) {
        it(`${encoding}, ${label}, ${chunkBytes}-byte chunks: grep's line count, records with their stack traces`, async () => {
          const path = join(dir, `sample-${encoding}.log`);
          writeFileSync(path, bytes);
          const result = await scanLogFile(path, buildLogMatcher(patterns), undefined, { chunkBytes });
          expect(result.encoding).toBe(encoding);
          expect(result.bytes).toBe(bytes.length);
          expect(result.lines).toBe(text.split('\r\n').length - 1);
          expect(result.matchingLines).toBe(naiveMatchingLines(text, patterns));
          expect(result.counts).toEqual({ crash: 3, hang: 1, slow: 1 });
          const [crash, innerOom, hang, slow, last] = result.records;
          expect(crash!.text.split('\n')).toHaveLength(4);
          expect(crash!.text).toContain('   at Emis.Web.App.Main()');
          expect(innerOom!.text.startsWith(`${ts(200)} [7] ERROR`)).toBe(true); // the hit was in the stack trace
          expect(hang!.kind).toBe('hang');
          expect(slow!.kind).toBe('slow');
          expect(last!.text).toBe(`${ts(999)} [1] FATAL Emis.Web - serious problem and needs to close\n   at Last.Frame()`);
          // startOffset is the record's byte offset in the file, whatever the encoding.
          const unit = encoding === 'utf-8' ? 1 : 2;
          const bom = encoding === 'utf-8' ? 0 : 2;
          expect(crash!.startOffset).toBe(bom + unit * text.indexOf(`${ts(100)} [1] FATAL`));
        });
      }
    }
  }

  it('counts the bytes of junk and cut lines skipped and still finds the records after them', async () => {
    const path = join(dir, 'junk.log');
    const longLine = `${ts(1)} INFO ${'x'.repeat(3 * 1024 * 1024)}`;
    writeFileSync(path, Buffer.concat([Buffer.from(`${longLine}\n`), Buffer.alloc(10_000), Buffer.from(`\n${ts(2)} FATAL serious problem and needs to close\n`)]));
    const result = await scanLogFile(path, buildLogMatcher(caseSensitive), undefined, { chunkBytes: 64 * 1024 });
    expect(result.counts.crash).toBe(1);
    expect(result.skipped).toEqual([
      { kind: 'line-cut', bytes: longLine.length + 1 - 1024 * 1024 },
      { kind: 'binary', bytes: 10_001 },
    ]);
  });

  it('passes every matching record to onRecord even beyond maxRecords', async () => {
    const path = join(dir, 'many.log');
    writeFileSync(path, Array.from({ length: 50 }, (_, i) => `${ts(i)} WARN Not Responding\n`).join(''));
    const seen: string[] = [];
    const result = await scanLogFile(path, buildLogMatcher(caseSensitive), (record) => seen.push(record.kind), { maxRecords: 10 });
    expect(seen).toHaveLength(50);
    expect(result.records).toHaveLength(10);
    expect(result.recordsDropped).toBe(40);
  });
});
