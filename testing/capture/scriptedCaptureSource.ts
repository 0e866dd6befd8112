import type { CaptureReading, ClipboardReading, ClipboardSource, ControlIdentity, ForegroundClient, TextCaptureSource } from '../../app/core/capture/captureSource.ts';

/** A pretend Windows desktop for tests: which window has the keyboard and what its control holds. */
export interface ScriptedDesktop {
  foreground: ForegroundClient | null;
  focused: (ControlIdentity & { isPassword?: boolean; text: string }) | null;
  /** Make the next reads fail as a hung client's WM_GETTEXT does. */
  unreadable?: string;
}

/**
 * The fake TextCaptureSource for tests and the Linux demo: follows the same rules as the Windows
 * source (foreground client only, focused control only, a password field's text never touched)
 * over a desktop a script changes step by step. `textReads` counts how often text was read.
 */
export class ScriptedCaptureSource implements TextCaptureSource {
  readonly name = 'scripted';
  desktop: ScriptedDesktop = { foreground: null, focused: null };
  textReads = 0;
  reads = 0;

  async read(processNames: readonly string[], options: { maxChars: number }): Promise<CaptureReading> {
    this.reads++;
    const { foreground, focused } = this.desktop;
    if (!foreground || !processNames.includes(foreground.processName)) return { kind: 'not-foreground' };
    if (!focused) return { kind: 'no-focus', client: foreground };
    const control = { key: focused.key, className: focused.className };
    if (focused.isPassword) return { kind: 'password', client: foreground, control };
    if (this.desktop.unreadable) return { kind: 'unreadable', client: foreground, control, reason: this.desktop.unreadable };
    this.textReads++;
    const text = focused.text;
    return { kind: 'text', client: foreground, control, text: text.slice(0, options.maxChars), via: 'script', truncated: text.length > options.maxChars };
  }
}

/** The fake ClipboardSource: a script puts copies on it as Windows would (formats, owner, sequence). */
export class ScriptedClipboard implements ClipboardSource {
  private current: Omit<ClipboardReading, 'tooLarge' | 'sequence'> = { formats: [], text: null, ownerPid: null };
  private seq = 1;
  reads = 0;

  copy(text: string | null, options: { ownerPid?: number | null; formats?: readonly string[] } = {}): void {
    this.seq++;
    this.current = { text, ownerPid: options.ownerPid ?? null, formats: options.formats ?? (text === null ? [] : ['CF_UNICODETEXT', 'CF_TEXT', 'CF_LOCALE']) };
  }

  async sequence(): Promise<number> {
    return this.seq;
  }

  async read(maxChars: number): Promise<ClipboardReading | null> {
    this.reads++;
    const { text } = this.current;
    const tooLarge = text !== null && text.length > maxChars;
    return { ...this.current, sequence: this.seq, text: tooLarge ? null : text, tooLarge };
  }
}
