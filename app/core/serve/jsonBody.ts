import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

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
      try {
        finish({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        finish({ ok: false, status: 400, message: 'the request body is not valid JSON' });
      }
    });
  });
}
