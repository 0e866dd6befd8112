/**
 * The Application log pushed to us, with no process spawned: EvtSubscribe in signal-event mode. The
 * Event Log service sets an auto-reset event when events matching the query arrive; the
 * HandleWaiter (the same one-thread wait the process exits use) hears it; EvtNext, on a koffi
 * worker thread so a stalled service never holds the event loop, takes the events until none are
 * left, and each is rendered to its XML (EvtRender, EvtRenderEventXml) for the same parser the
 * wevtutil path uses. The event starts signalled, so what already matched is read at once; one set
 * while we drain stays set and wakes the next wait, so nothing is left behind.
 */
import { callOnWorker } from '../../../capture/win32/koffiAsync.ts';
import { loadWin32Api, type Win32Api } from '../../../capture/win32/loadWin32Api.ts';
import { asHandle } from '../../../capture/win32/nativeValues.ts';
import { HandleWaiter } from '../../process/win32/handleWaiter.ts';
import { MAX_EVENT_CHARS } from '../eventLogXml.ts';
import type { EventLogSubscription, EventLogSubscriptionCallbacks } from '../windowsEventLog.ts';
import { ERROR_INSUFFICIENT_BUFFER, ERROR_NO_MORE_ITEMS, ERROR_TIMEOUT, EVT_RENDER_EVENT_XML, EVT_SUBSCRIBE_START_AT_OLDEST_RECORD, loadWevtapi, type Wevtapi } from './wevtapi.ts';

/** Events taken per EvtNext. */
const BATCH = 16;
/** EvtNext gives up after this long; the drain then asks again (a wait, not a spin: it runs on a worker). */
const NEXT_TIMEOUT_MS = 1000;
/** The first render tries this many bytes; a larger event is rendered again at its size. */
const FIRST_RENDER_BYTES = 16 * 1024;

/** EvtSubscribe returned NULL: the Windows error says why (Wine 8's stub returns NULL and sets none: 0). */
export class EvtSubscribeError extends Error {
  override readonly name = 'EvtSubscribeError';
  readonly windowsError: number;

  constructor(windowsError: number) {
    super(`EvtSubscribe failed (Windows error ${windowsError})`);
    this.windowsError = windowsError;
  }
}

const utf16z = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf16le');

/** Opens the subscription; throws EvtSubscribeError (or a DLL load error) when Windows will not give one. */
export function subscribeWin32EventLog(channel: string, query: string, callbacks: EventLogSubscriptionCallbacks): EventLogSubscription {
  const api = loadWin32Api('the Event Log subscription');
  const wevtapi = loadWevtapi();
  const { kernel32 } = api;
  const signal = asHandle(kernel32.CreateEventW(null, 0, 1, null));
  if (signal === null) throw new Error(`CreateEventW failed (Windows error ${Number(kernel32.GetLastError())})`);
  const subscription = asHandle(wevtapi.EvtSubscribe(null, signal, utf16z(channel), utf16z(query), null, null, null, EVT_SUBSCRIBE_START_AT_OLDEST_RECORD));
  if (subscription === null) {
    const error = Number(kernel32.GetLastError());
    kernel32.CloseHandle(signal);
    throw new EvtSubscribeError(error);
  }
  return new Win32EventLogSubscription(api, wevtapi, subscription, signal, callbacks);
}

class Win32EventLogSubscription implements EventLogSubscription {
  private readonly api: Win32Api;
  private readonly wevtapi: Wevtapi;
  private readonly subscription: bigint;
  private readonly signal: bigint;
  private readonly callbacks: EventLogSubscriptionCallbacks;
  private readonly waiter: HandleWaiter;
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(api: Win32Api, wevtapi: Wevtapi, subscription: bigint, signal: bigint, callbacks: EventLogSubscriptionCallbacks) {
    this.api = api;
    this.wevtapi = wevtapi;
    this.subscription = subscription;
    this.signal = signal;
    this.callbacks = callbacks;
    this.waiter = new HandleWaiter(api, (message) => this.fail(`waiting for the Event Log: ${message}`));
    this.arm();
  }

  private arm(): void {
    if (this.closed) return;
    this.waiter.add(this.signal, () => {
      this.draining = this.drain()
        .catch((error: unknown) => this.fail(error instanceof Error ? error.message : String(error)))
        .finally(() => {
          this.draining = null;
          this.arm();
        });
    });
  }

  /** Takes every event that is ready, BATCH at a time. */
  private async drain(): Promise<void> {
    const { kernel32 } = this.api;
    const handles = Buffer.alloc(8 * BATCH);
    const returned = new Uint32Array(1);
    while (!this.closed) {
      handles.fill(0);
      returned[0] = 0;
      const outcome = await callOnWorker(this.wevtapi.EvtNext, [this.subscription, BATCH, handles, NEXT_TIMEOUT_MS, 0, returned], (ok) => (Number(ok) !== 0 ? 0 : Number(kernel32.GetLastError())));
      if (outcome === ERROR_NO_MORE_ITEMS) return;
      if (outcome === ERROR_TIMEOUT) continue;
      if (outcome !== 0) throw new Error(`EvtNext failed (Windows error ${outcome})`);
      const events: string[] = [];
      for (let i = 0; i < (returned[0] ?? 0); i++) {
        const event = handles.readBigUInt64LE(i * 8);
        try {
          events.push(this.render(event));
        } catch (error) {
          this.callbacks.onProblem(error instanceof Error ? error.message : String(error));
        } finally {
          this.wevtapi.EvtClose(event);
        }
      }
      if (!this.closed) this.callbacks.onEvents(events);
    }
  }

  private render(event: bigint): string {
    const used = new Uint32Array(1);
    const properties = new Uint32Array(1);
    let buffer = Buffer.alloc(FIRST_RENDER_BYTES);
    if (Number(this.wevtapi.EvtRender(null, event, EVT_RENDER_EVENT_XML, buffer.length, buffer, used, properties)) === 0) {
      const error = Number(this.api.kernel32.GetLastError());
      if (error !== ERROR_INSUFFICIENT_BUFFER) throw new Error(`EvtRender failed (Windows error ${error})`);
      const needed = used[0] ?? 0;
      if (needed > MAX_EVENT_CHARS * 2) throw new Error(`an event of ${needed} bytes skipped: more than ${MAX_EVENT_CHARS * 2} bytes`);
      buffer = Buffer.alloc(needed);
      if (Number(this.wevtapi.EvtRender(null, event, EVT_RENDER_EVENT_XML, buffer.length, buffer, used, properties)) === 0) {
        throw new Error(`EvtRender failed (Windows error ${Number(this.api.kernel32.GetLastError())})`);
      }
    }
    return renderedXml(buffer, used[0] ?? 0);
  }

  /** The subscription stops; the caller falls back to polling. Said once. */
  private fail(message: string): void {
    if (this.closed) return;
    this.closed = true;
    this.callbacks.onFailed(message);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    await this.waiter.close();
    this.wevtapi.EvtClose(this.subscription);
    this.api.kernel32.CloseHandle(this.signal);
  }
}

/** EvtRender's output: UTF-16LE, `usedBytes` long including the terminating NUL. */
export function renderedXml(buffer: Buffer, usedBytes: number): string {
  const text = buffer.toString('utf16le', 0, Math.min(usedBytes, buffer.length) & ~1);
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}
