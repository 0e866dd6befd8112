import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';

export type ArtefactKind = 'wer' | 'eventlog-xml' | 'log' | 'evtx' | 'binary' | 'empty';

const HEAD_BYTES = 4096;

function decodeHead(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head.subarray(2));
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head.subarray(2));
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return head.subarray(start).toString('utf8');
}

/** What a file is, by its content first and its name second: IT hands over files renamed and zipped. */
export async function detectArtefact(path: string): Promise<ArtefactKind> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length === 0) return 'empty';
  if (head.subarray(0, 7).toString('latin1') === 'ElfFile') return 'evtx';
  const text = decodeHead(head).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (basename(path).toLowerCase() === 'report.wer' || extname(path).toLowerCase() === '.wer' || /^Version=\d+\r?\nEventType=/.test(trimmed)) return 'wer';
  if (/^(<\?xml[^>]*>\s*)?<(Events|Event)[\s>]/.test(trimmed)) return 'eventlog-xml';
  const utf16 = head[0] === 0xff || head[0] === 0xfe;
  if (!utf16) {
    let nul = 0;
    for (const byte of head) if (byte === 0) nul++;
    if (nul > head.length / 10) return 'binary';
  }
  return 'log';
}
