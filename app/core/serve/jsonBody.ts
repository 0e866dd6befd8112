import type { IncomingMessage } from 'node:http';

/** The largest typed note (MAX_TYPED_NOTE_CHARS) in UTF-8 JSON fits; nothing much larger does. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** No call's argument nests deeper than a few levels; this leaves room and refuses the absurd. */
export const MAX_JSON_DEPTH = 16;

/** Whether brackets outside strings nest deeper than `max`: checked before JSON.parse sees the text. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

/**
 * Reads a JSON request body of at most `limit` bytes. Over the limit it stops at once rather than
 * buffer an attacker's gigabytes; an empty body is `undefined` (calls without an argument).
 */
export function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolvePromise) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolvePromise({ ok: false, status: 413, message: `the request is larger than ${limit} bytes` });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolvePromise(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        req.resume();
        finish({ ok: false, status: 413, message: `the request is larger than ${limit} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => finish({ ok: false, status: 400, message: 'the request body could not be read' }));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return finish({ ok: true, value: undefined });
      if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return finish({ ok: false, status: 400, message: `the request body is nested too deeply (more than ${MAX_JSON_DEPTH} levels)` });
      try {
        finish({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        finish({ ok: false, status: 400, message: 'the request body is not valid JSON' });
      }
    });
  });
}
