import { createReadStream } from 'node:fs';
import { guessUtf16WithoutBom } from '../wer/unicodeText.ts';
import { EventXmlSplitter, parseEventElement, type EventProblem, type EventRecord } from './eventLogXml.ts';

/** How reading one export went: events seen, the ones that could not be read, and why (first few). */
export interface EventFileResult {
  /** Every `<Event>` found, readable or not. */
  events: number;
  /** Events skipped (malformed, no time, truncated tail…). */
  badEvents: number;
  /** The first problems, in order, for the scan's warnings. */
  problems: EventProblem[];
}

/**
 * Small enough that every string made from a chunk stays in V8's young generation (objects over
 * ~128 KB go to large-object space and live until a full GC): memory stays flat in the file size.
 */
const CHUNK_BYTES = 32 * 1024;
const MAX_PROBLEMS_KEPT = 20;

/** The text encoding of a file from its first bytes: BOM, else where the NULs sit (BOM-less UTF-16), else UTF-8. */
export function sniffEncoding(head: Uint8Array): { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; bomLength: number } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  return { encoding: guessUtf16WithoutBom(head) ?? 'utf-8', bomLength: 0 };
}

/**
 * Streams an event export from disk (wevtutil, Event Viewer "Save as XML", Azure eventlog.xml,
 * tool dumps, XML-view copies): decoded chunk by chunk, cut into events, each parsed on its own.
 * Memory holds one chunk and one event whatever the file's size; a bad event is counted and
 * skipped, a truncated tail keeps every complete event before it.
 */
export function readEventXmlFile(path: string, onRecord: (record: EventRecord) => void): Promise<EventFileResult> {
  return readEventXmlStream(createReadStream(path, { highWaterMark: CHUNK_BYTES }), onRecord);
}

/** The same from any byte stream (a file, or `wevtutil qe FILE.evtx /lf:true /f:xml` on Windows). */
export async function readEventXmlStream(chunks: AsyncIterable<Buffer | string>, onRecord: (record: EventRecord) => void): Promise<EventFileResult> {
  const problems: EventProblem[] = [];
  let badEvents = 0;
  const problem = (p: EventProblem): void => {
    badEvents++;
    if (problems.length < MAX_PROBLEMS_KEPT) problems.push(p);
  };
  const splitter = new EventXmlSplitter((xml, index) => {
    const result = parseEventElement(xml);
    if (typeof result === 'string') problem({ event: index, reason: result });
    else onRecord(result);
  }, problem);
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  for await (const piece of chunks) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    if (decoder === null) {
      const { encoding, bomLength } = sniffEncoding(chunk.subarray(0, 512));
      decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
      splitter.write(decoder.decode(chunk.subarray(bomLength), { stream: true }));
    } else splitter.write(decoder.decode(chunk, { stream: true }));
  }
  if (decoder !== null) splitter.write(decoder.decode());
  splitter.end();
  return { events: splitter.events, badEvents, problems };
}
