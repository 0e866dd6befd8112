import type { DraftOrigin, SaveDraftInput } from '../../common/draft.ts';
import type { FromWatcher } from '../../common/watcherChannel.ts';
import type { CaptureVault } from '../capture/vaultCaptureStore.ts';

interface Waiting {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Capture's vault, seen from the watcher process: captured and copied text goes over the channel
 * to the note side, whose vault writer keeps it and answers `saved`. A save resolves only then,
 * so capture remembers text as kept only once it is durable (and tries again otherwise).
 */
export class CapturedTextChannel implements CaptureVault {
  private readonly salt: Buffer;
  private readonly send: (message: FromWatcher) => void;
  private readonly timeoutMs: number;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(options: { salt: Buffer; send: (message: FromWatcher) => void; timeoutMs?: number }) {
    this.salt = options.salt;
    this.send = options.send;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  captureSalt(): Buffer {
    return this.salt;
  }

  save(input: SaveDraftInput, options: { origin: DraftOrigin }): Promise<void> {
    if (options.origin === 'note' || input.id === undefined) return Promise.reject(new Error('only captured or copied text with its own id goes through the watcher'));
    const requestId = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`the note side did not confirm the save within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.waiting.set(requestId, { resolve, reject, timer });
      this.send({ type: 'captured', requestId, draft: { ...input, id: input.id! }, origin: options.origin as 'capture' | 'clipboard' });
    });
  }

  /** The note side's answer to one save. */
  settle(requestId: number, error: string | null): void {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return;
    this.waiting.delete(requestId);
    clearTimeout(waiting.timer);
    if (error === null) waiting.resolve();
    else waiting.reject(new Error(error));
  }

  /** The watcher is stopping: nothing more will be confirmed. */
  abandon(): void {
    for (const [id, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error('the watcher is stopping'));
      this.waiting.delete(id);
    }
  }
}
