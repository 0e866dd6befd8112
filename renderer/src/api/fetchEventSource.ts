import type { EventSourceLike } from './httpTransport.ts';

/** The part of fetch the event stream needs: a streamed body. */
export type StreamingFetch = (url: string, init: { headers: Record<string, string>; credentials: 'omit'; signal: AbortSignal }) => Promise<{ ok: boolean; body: ReadableStream<Uint8Array> | null }>;

const RETRY_MS = 2000;

/**
 * Server-Sent Events over fetch, because EventSource cannot send an Authorization header (and
 * the token must not travel in a cookie or a URL). Reads `data:` lines of each event, and like
 * EventSource reconnects a moment after the stream ends or fails (Lifeboat restarting).
 */
export class FetchEventSource implements EventSourceLike {
  private readonly listeners: Array<(message: { data: string }) => void> = [];
  private readonly abort = new AbortController();
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | null = null;

  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly fetch: StreamingFetch;

  constructor(url: string, headers: Record<string, string>, fetch: StreamingFetch) {
    this.url = url;
    this.headers = headers;
    this.fetch = fetch;
    void this.connect();
  }

  addEventListener(_type: 'message', listener: (message: { data: string }) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.abort.abort();
  }

  private async connect(): Promise<void> {
    try {
      const response = await this.fetch(this.url, { headers: { Accept: 'text/event-stream', ...this.headers }, credentials: 'omit', signal: this.abort.signal });
      if (response.ok && response.body) await this.read(response.body);
    } catch {
      // The server went away or refused: try again shortly, as EventSource would.
    }
    if (!this.closed) this.retry = setTimeout(() => void this.connect(), RETRY_MS);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data !== '') for (const listener of [...this.listeners]) listener({ data });
      }
    }
  }
}
