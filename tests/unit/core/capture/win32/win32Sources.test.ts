/**
 * The three Windows sources driven by a scripted desktop: what they ask Windows, in which order,
 * and what they conclude. The koffi bindings behind WindowQueries and ClipboardCalls only run on
 * Windows; everything above them runs here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FocusedElementReader, UiaReading } from '../../../../../app/core/capture/win32/uiAutomationReader.ts';
import type { ClipboardCalls } from '../../../../../app/core/capture/win32/win32ClipboardCalls.ts';
import { OPEN_ATTEMPTS, Win32ClipboardSource } from '../../../../../app/core/capture/win32/win32ClipboardSource.ts';
import { EM_GETPASSWORDCHAR, ERROR_INVALID_WINDOW_HANDLE, ERROR_TIMEOUT, SMTO_ABORTIFHUNG, SMTO_BLOCK, WM_GETTEXT, WM_GETTEXTLENGTH, WM_NULL } from '../../../../../app/core/capture/win32/win32Constants.ts';
import { Win32ResponsivenessProbe } from '../../../../../app/core/capture/win32/win32ResponsivenessProbe.ts';
import { UIA_READ_DEADLINE_MS, Win32TextCaptureSource } from '../../../../../app/core/capture/win32/win32TextCaptureSource.ts';
import type { MessageReply, WindowQueries } from '../../../../../app/core/capture/win32/win32Windows.ts';
import type { TopLevelWindow } from '../../../../../app/core/capture/win32/mainWindow.ts';

interface FakeWindow {
  pid: number;
  threadId: number;
  className?: string;
  controlId?: number;
  style?: number;
  title?: string;
  root?: bigint;
  text?: string;
  passwordChar?: number;
  /** How the window's thread answers messages. */
  answers?: 'yes' | 'timeout' | 'access-denied' | 'gone';
  hung?: boolean;
}

const MAIN = 0x10n;
const NOTE = 0x20n;

class FakeDesktop implements WindowQueries {
  foreground: bigint | null = MAIN;
  readonly windows = new Map<bigint, FakeWindow>();
  readonly images = new Map<number, string>([[4312, 'C:\\Program Files (x86)\\EMIS\\EmisWeb.exe'], [77, 'C:\\Windows\\notepad.exe']]);
  readonly focus = new Map<number, bigint>();
  readonly topLevel: TopLevelWindow[] = [];
  readonly sent: { hwnd: bigint; message: number; flags: number; timeoutMs: number }[] = [];

  constructor() {
    this.windows.set(MAIN, { pid: 4312, threadId: 9, className: 'WindowsForms10.Window.8.app.0.1', title: 'EMIS Web - Jane Doe (943 476 5919)' });
    this.windows.set(NOTE, { pid: 4312, threadId: 9, root: MAIN, className: 'WindowsForms10.RichEdit20W.app.0.141b42a_r8_ad1', controlId: 1043, style: 0x50010000, text: 'Dear Dr Patel' });
    this.focus.set(9, NOTE);
  }

  control(hwnd: bigint, changes: Partial<FakeWindow>): void {
    this.windows.set(hwnd, { ...(this.windows.get(hwnd) ?? { pid: 4312, threadId: 9, root: MAIN }), ...changes });
  }

  foregroundWindow = (): bigint | null => this.foreground;
  threadAndProcess = (hwnd: bigint) => {
    const window = this.windows.get(hwnd);
    return window ? { threadId: window.threadId, pid: window.pid } : null;
  };
  processImagePath = (pid: number): string | null => this.images.get(pid) ?? null;
  focusedWindow = (threadId: number): bigint | null => this.focus.get(threadId) ?? null;
  rootWindow = (hwnd: bigint): bigint => this.windows.get(hwnd)?.root ?? hwnd;
  windowStyle = (hwnd: bigint): number => this.windows.get(hwnd)?.style ?? 0;
  className = (hwnd: bigint): string => this.windows.get(hwnd)?.className ?? '';
  controlId = (hwnd: bigint): number => this.windows.get(hwnd)?.controlId ?? 0;
  windowTitle = (hwnd: bigint): string => this.windows.get(hwnd)?.title ?? '';
  isHung = (hwnd: bigint): boolean => this.windows.get(hwnd)?.hung ?? false;
  topLevelWindows = (pid: number): TopLevelWindow[] => this.topLevel.filter((window) => this.windows.get(window.hwnd)?.pid === pid);

  async sendMessageTimeout(hwnd: bigint, message: number, wParam: number, lParam: Uint16Array | null, flags: number, timeoutMs: number): Promise<MessageReply> {
    this.sent.push({ hwnd, message, flags, timeoutMs });
    const window = this.windows.get(hwnd);
    const answers = window?.answers ?? 'yes';
    if (!window || answers === 'gone') return { answered: false, result: 0n, lastError: ERROR_INVALID_WINDOW_HANDLE };
    if (answers === 'timeout') return { answered: false, result: 0n, lastError: ERROR_TIMEOUT };
    if (answers === 'access-denied') return { answered: false, result: 0n, lastError: 5 };
    const text = window.text ?? '';
    switch (message) {
      case EM_GETPASSWORDCHAR:
        return { answered: true, result: BigInt(window.passwordChar ?? 0), lastError: 0 };
      case WM_GETTEXTLENGTH:
        return { answered: true, result: BigInt(text.length), lastError: 0 };
      case WM_GETTEXT: {
        const buffer = lParam as Uint16Array;
        const copied = Math.min(text.length, wParam - 1);
        for (let i = 0; i < copied; i += 1) buffer[i] = text.charCodeAt(i);
        buffer[copied] = 0;
        return { answered: true, result: BigInt(copied), lastError: 0 };
      }
      default:
        return { answered: true, result: 0n, lastError: 0 };
    }
  }
}

class FakeUia implements FocusedElementReader {
  readonly reads: { pid: number; maxChars: number }[] = [];
  closed = false;
  private readonly answer: () => Promise<UiaReading>;
  constructor(answer: () => Promise<UiaReading>) {
    this.answer = answer;
  }
  readFocused(pid: number, maxChars: number): Promise<UiaReading> {
    this.reads.push({ pid, maxChars });
    return this.answer();
  }
  close(): void {
    this.closed = true;
  }
}

const uiaAnswering = (reading: UiaReading): FakeUia => new FakeUia(async () => reading);
const EMIS = ['emisweb.exe'];
const identity = { automationId: 'NoteEditor', className: 'EmisRichText', controlType: 50030 };

afterEach(() => {
  vi.useRealTimers();
});

describe('Win32TextCaptureSource', () => {
  it('reads nothing when the foreground window is another program', async () => {
    const desktop = new FakeDesktop();
    desktop.windows.set(0x99n, { pid: 77, threadId: 3 });
    desktop.foreground = 0x99n;
    const source = new Win32TextCaptureSource({ windows: desktop, uia: null });
    expect(await source.read(EMIS, { maxChars: 100 })).toEqual({ kind: 'not-foreground' });
    desktop.foreground = null;
    expect(await source.read(EMIS, { maxChars: 100 })).toEqual({ kind: 'not-foreground' });
    expect(desktop.sent).toEqual([]);
  });

  it('matches the executable case-insensitively and names the client by its root window', async () => {
    const desktop = new FakeDesktop();
    const source = new Win32TextCaptureSource({ windows: desktop, uia: null });
    const reading = await source.read(['EmisWeb.exe'], { maxChars: 100 });
    expect(reading).toEqual({
      kind: 'text',
      client: { pid: 4312, processName: 'emisweb.exe', windowHandle: '0x00000010', windowTitle: 'EMIS Web - Jane Doe (943 476 5919)' },
      control: { key: 'WindowsForms10.RichEdit20W.app.0.141b42a_r8_ad1#1043', className: 'WindowsForms10.RichEdit20W.app.0.141b42a_r8_ad1' },
      text: 'Dear Dr Patel',
      via: 'wm-gettext',
      truncated: false,
    });
  });

  it('sends each message with SMTO_ABORTIFHUNG | SMTO_BLOCK and at most 200 ms', async () => {
    const desktop = new FakeDesktop();
    await new Win32TextCaptureSource({ windows: desktop, uia: null }).read(EMIS, { maxChars: 100 });
    expect(desktop.sent.map((sent) => sent.message)).toEqual([EM_GETPASSWORDCHAR, WM_GETTEXTLENGTH, WM_GETTEXT]);
    for (const sent of desktop.sent) {
      expect(sent.flags).toBe(SMTO_ABORTIFHUNG | SMTO_BLOCK);
      expect(sent.timeoutMs).toBeLessThanOrEqual(200);
    }
  });

  it('reads at most maxChars and says when it cut', async () => {
    const desktop = new FakeDesktop();
    const source = new Win32TextCaptureSource({ windows: desktop, uia: null });
    expect(await source.read(EMIS, { maxChars: 4 })).toMatchObject({ kind: 'text', text: 'Dear', truncated: true });
    expect(await source.read(EMIS, { maxChars: 13 })).toMatchObject({ text: 'Dear Dr Patel', truncated: false });
  });

  it('reports no focus when no control of the client has it', async () => {
    const desktop = new FakeDesktop();
    desktop.focus.clear();
    const source = new Win32TextCaptureSource({ windows: desktop, uia: null });
    expect(await source.read(EMIS, { maxChars: 100 })).toMatchObject({ kind: 'no-focus', client: { pid: 4312 } });
    desktop.windows.set(0x55n, { pid: 77, threadId: 9 });
    desktop.focus.set(9, 0x55n);
    expect(await source.read(EMIS, { maxChars: 100 })).toMatchObject({ kind: 'no-focus' });
  });

  it('never reads an ES_PASSWORD edit, and does not even message it', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { className: 'Edit', controlId: 7, style: 0x50010020, text: 'hunter2' });
    const uia = uiaAnswering({ kind: 'text', identity, text: 'hunter2', truncated: false, via: 'uia-value' });
    const reading = await new Win32TextCaptureSource({ windows: desktop, uia }).read(EMIS, { maxChars: 100 });
    expect(reading).toEqual({ kind: 'password', client: expect.objectContaining({ pid: 4312 }), control: { key: 'Edit#7', className: 'Edit' } });
    expect(desktop.sent).toEqual([]);
    expect(uia.reads).toEqual([]);
  });

  it('never reads an edit with a password character', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { passwordChar: 0x25cf, text: 'hunter2' });
    const reading = await new Win32TextCaptureSource({ windows: desktop, uia: null }).read(EMIS, { maxChars: 100 });
    expect(reading.kind).toBe('password');
    expect(desktop.sent.map((sent) => sent.message)).toEqual([EM_GETPASSWORDCHAR]);
  });

  it('sends no edit-only message to other classes, whatever their style bits', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { className: 'EmisNoteView', style: 0x20, text: 'Plan: review' });
    expect(await new Win32TextCaptureSource({ windows: desktop, uia: null }).read(EMIS, { maxChars: 100 })).toMatchObject({ kind: 'text', text: 'Plan: review' });
    expect(desktop.sent.map((sent) => sent.message)).toEqual([WM_GETTEXTLENGTH, WM_GETTEXT]);
  });

  it('does not fall back to UI Automation when the client did not answer', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { answers: 'timeout' });
    const uia = uiaAnswering({ kind: 'text', identity, text: 'x', truncated: false, via: 'uia-value' });
    const reading = await new Win32TextCaptureSource({ windows: desktop, uia }).read(EMIS, { maxChars: 100 });
    expect(reading).toMatchObject({ kind: 'unreadable', reason: 'the client did not answer EM_GETPASSWORDCHAR within 200 ms' });
    expect(uia.reads).toEqual([]);
  });

  it('asks UI Automation when a custom editor answers WM_GETTEXT with nothing', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { className: 'EmisEditorHost', controlId: 0, text: '' });
    const uia = uiaAnswering({ kind: 'text', identity, text: 'History: cough', truncated: false, via: 'uia-text' });
    const reading = await new Win32TextCaptureSource({ windows: desktop, uia }).read(EMIS, { maxChars: 500 });
    expect(reading).toMatchObject({ kind: 'text', control: { key: 'NoteEditor', className: 'EmisRichText' }, text: 'History: cough', via: 'uia-text' });
    expect(uia.reads).toEqual([{ pid: 4312, maxChars: 500 }]);
  });

  it('honours a UI Automation password verdict', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { className: 'EmisEditorHost', text: '' });
    const reading = await new Win32TextCaptureSource({ windows: desktop, uia: uiaAnswering({ kind: 'password', identity }) }).read(EMIS, { maxChars: 100 });
    expect(reading).toMatchObject({ kind: 'password', control: { key: 'NoteEditor' } });
  });

  it('calls an empty edit control empty, but a silent custom editor unreadable', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { text: '' });
    const noText = uiaAnswering({ kind: 'no-text', identity, reason: 'the focused element has neither a Value nor a Text pattern' });
    expect(await new Win32TextCaptureSource({ windows: desktop, uia: noText }).read(EMIS, { maxChars: 100 })).toMatchObject({ kind: 'text', text: '', via: 'wm-gettext' });

    desktop.control(NOTE, { className: 'EmisEditorHost' });
    expect(await new Win32TextCaptureSource({ windows: desktop, uia: noText }).read(EMIS, { maxChars: 100 })).toMatchObject({
      kind: 'unreadable',
      control: { key: 'EmisEditorHost#1043' },
      reason: 'the control answered WM_GETTEXT with no text; the focused element has neither a Value nor a Text pattern',
    });
    expect(await new Win32TextCaptureSource({ windows: desktop, uia: null }).read(EMIS, { maxChars: 100 })).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/UI Automation is not in use/) });
  });

  it('tries UI Automation when the message cannot be sent (UIPI)', async () => {
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { className: 'EmisEditorHost', answers: 'access-denied' });
    const reading = await new Win32TextCaptureSource({ windows: desktop, uia: uiaAnswering({ kind: 'unavailable', reason: 'UI Automation failed: E_ACCESSDENIED' }) }).read(EMIS, { maxChars: 100 });
    expect(reading).toMatchObject({ kind: 'unreadable', reason: 'WM_GETTEXTLENGTH failed (Windows error 5); UI Automation failed: E_ACCESSDENIED' });
  });

  it('stops waiting for UI Automation after its deadline', async () => {
    vi.useFakeTimers();
    const desktop = new FakeDesktop();
    desktop.control(NOTE, { className: 'EmisEditorHost', text: '' });
    const uia = new FakeUia(() => new Promise<UiaReading>(() => undefined));
    const pending = new Win32TextCaptureSource({ windows: desktop, uia }).read(EMIS, { maxChars: 100 });
    await vi.advanceTimersByTimeAsync(UIA_READ_DEADLINE_MS);
    expect(await pending).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(`UI Automation did not answer within ${UIA_READ_DEADLINE_MS} ms`) });
  });

  it('runs reads one after another and closes UI Automation with itself', async () => {
    const desktop = new FakeDesktop();
    const uia = uiaAnswering({ kind: 'elsewhere' });
    const source = new Win32TextCaptureSource({ windows: desktop, uia });
    const [first, second] = await Promise.all([source.read(EMIS, { maxChars: 4 }), source.read(EMIS, { maxChars: 100 })]);
    expect(first).toMatchObject({ text: 'Dear' });
    expect(second).toMatchObject({ text: 'Dear Dr Patel' });
    source.close();
    expect(uia.closed).toBe(true);
  });
});

class FakeClipboard implements ClipboardCalls {
  readonly log: string[] = [];
  openFailures = 0;
  owners: (bigint | null)[] = [0x500n];
  ownerAnswers = true;
  hung = false;
  ids = [13, 1, 0xc0f1, 0x0210, 16];
  text: { text: string | null; tooLarge: boolean } = { text: 'Amoxicillin 500mg', tooLarge: false };
  failText = false;

  sequenceNumber(): number {
    this.log.push('sequence');
    return 812;
  }
  owner(): bigint | null {
    this.log.push('owner');
    return this.owners.length > 1 ? (this.owners.shift() ?? null) : (this.owners[0] ?? null);
  }
  windowProcessId(hwnd: bigint): number | null {
    return hwnd === 0x500n ? 4312 : 77;
  }
  async answers(hwnd: bigint, timeoutMs: number): Promise<boolean> {
    this.log.push(`answers ${hwnd} ${timeoutMs}`);
    return this.ownerAnswers;
  }
  isHung(): boolean {
    this.log.push('isHung');
    return this.hung;
  }
  open(): boolean {
    this.log.push('open');
    if (this.openFailures > 0) {
      this.openFailures -= 1;
      return false;
    }
    return true;
  }
  close(): void {
    this.log.push('close');
  }
  formatIds(limit: number): number[] {
    this.log.push('formats');
    return this.ids.slice(0, limit);
  }
  registeredFormatName(id: number): string | null {
    return id === 0xc0f1 ? 'HTML Format' : null;
  }
  unicodeText(maxChars: number): { text: string | null; tooLarge: boolean } {
    this.log.push(`text ${maxChars}`);
    if (this.failText) throw new Error('GlobalLock failed');
    return this.text;
  }
}

describe('Win32ClipboardSource', () => {
  it('reads formats, text and owner, with the owner checked before the clipboard is opened', async () => {
    const clipboard = new FakeClipboard();
    const reading = await new Win32ClipboardSource(clipboard).read(1000);
    expect(reading).toEqual({ sequence: 812, formats: ['CF_UNICODETEXT', 'CF_TEXT', 'HTML Format', 'CF_PRIVATEFIRST+16', 'CF_LOCALE'], text: 'Amoxicillin 500mg', tooLarge: false, ownerPid: 4312 });
    expect(clipboard.log).toEqual(['owner', 'answers 1280 100', 'open', 'sequence', 'formats', 'owner', 'text 1000', 'close']);
  });

  it('retries briefly while another program holds the clipboard', async () => {
    const clipboard = new FakeClipboard();
    clipboard.openFailures = OPEN_ATTEMPTS - 1;
    expect(await new Win32ClipboardSource(clipboard).read(1000)).not.toBeNull();
    clipboard.openFailures = OPEN_ATTEMPTS;
    clipboard.log.length = 0;
    expect(await new Win32ClipboardSource(clipboard).read(1000)).toBeNull();
    expect(clipboard.log.filter((entry) => entry === 'open')).toHaveLength(OPEN_ATTEMPTS);
    expect(clipboard.log).not.toContain('close');
  });

  it('does not ask a hung owner to render its text, but still lists the formats', async () => {
    const clipboard = new FakeClipboard();
    clipboard.ownerAnswers = false;
    expect(await new Win32ClipboardSource(clipboard).read(1000)).toMatchObject({ formats: expect.arrayContaining(['CF_UNICODETEXT']), text: null, tooLarge: false, ownerPid: 4312 });
    expect(clipboard.log.some((entry) => entry.startsWith('text'))).toBe(false);
    expect(clipboard.log.at(-1)).toBe('close');
  });

  it('checks a new owner that took the clipboard in between', async () => {
    const clipboard = new FakeClipboard();
    clipboard.ownerAnswers = false;
    clipboard.owners = [0x500n, 0x600n];
    expect(await new Win32ClipboardSource(clipboard).read(1000)).toMatchObject({ text: 'Amoxicillin 500mg', ownerPid: 77 });
    expect(clipboard.log).toContain('isHung');
  });

  it('reads without an owner, and skips text when there is none', async () => {
    const clipboard = new FakeClipboard();
    clipboard.owners = [null];
    clipboard.ids = [2, 8];
    expect(await new Win32ClipboardSource(clipboard).read(1000)).toEqual({ sequence: 812, formats: ['CF_BITMAP', 'CF_DIB'], text: null, tooLarge: false, ownerPid: null });
    expect(clipboard.log).not.toContain('answers');
    expect(clipboard.log.some((entry) => entry.startsWith('text'))).toBe(false);
  });

  it('passes tooLarge through and closes the clipboard even when reading fails', async () => {
    const clipboard = new FakeClipboard();
    clipboard.text = { text: null, tooLarge: true };
    expect(await new Win32ClipboardSource(clipboard).read(10)).toMatchObject({ text: null, tooLarge: true });
    clipboard.failText = true;
    clipboard.log.length = 0;
    await expect(new Win32ClipboardSource(clipboard).read(10)).rejects.toThrow('GlobalLock failed');
    expect(clipboard.log.at(-1)).toBe('close');
  });

  it('gives the sequence number without opening the clipboard', async () => {
    const clipboard = new FakeClipboard();
    expect(await new Win32ClipboardSource(clipboard).sequence()).toBe(812);
    expect(clipboard.log).toEqual(['sequence']);
  });
});

describe('Win32ResponsivenessProbe', () => {
  const target = { pid: 4312, processName: 'emisweb.exe' };

  function probeDesktop(): FakeDesktop {
    const desktop = new FakeDesktop();
    desktop.windows.set(0x30n, { pid: 4312, threadId: 9 });
    desktop.windows.set(0x40n, { pid: 4312, threadId: 9 });
    desktop.topLevel.push({ hwnd: MAIN, visible: true, owned: false, area: 1_000_000 }, { hwnd: 0x30n, visible: true, owned: true, area: 5_000_000 }, { hwnd: 0x40n, visible: false, owned: false, area: 9_000_000 });
    return desktop;
  }

  function clock(...readings: number[]): () => number {
    return () => readings.shift() ?? 0;
  }

  it('times a WM_NULL round trip to the largest visible unowned window', async () => {
    const desktop = probeDesktop();
    const result = await new Win32ResponsivenessProbe(desktop, clock(1000, 1012.5)).probe(target, 2000);
    expect(result).toEqual({ latencyMs: 12.5, hungByOs: false, noWindow: false });
    expect(desktop.sent).toEqual([{ hwnd: MAIN, message: WM_NULL, flags: SMTO_ABORTIFHUNG, timeoutMs: 2000 }]);
  });

  it('reports no latency when the window did not answer in time', async () => {
    const desktop = probeDesktop();
    desktop.control(MAIN, { answers: 'timeout' });
    expect(await new Win32ResponsivenessProbe(desktop, clock(0, 2000)).probe(target, 2000)).toEqual({ latencyMs: null, hungByOs: false, noWindow: false });
  });

  it('does not send to a window Windows already calls hung', async () => {
    const desktop = probeDesktop();
    desktop.control(MAIN, { hung: true });
    expect(await new Win32ResponsivenessProbe(desktop).probe(target, 2000)).toEqual({ latencyMs: null, hungByOs: true, noWindow: false });
    expect(desktop.sent).toEqual([]);
  });

  it('gives no verdict without a window, or when it closed under the probe', async () => {
    const desktop = probeDesktop();
    expect(await new Win32ResponsivenessProbe(desktop).probe({ pid: 1, processName: 'x.exe' }, 2000)).toEqual({ latencyMs: null, hungByOs: false, noWindow: true });
    desktop.control(MAIN, { answers: 'gone' });
    expect(await new Win32ResponsivenessProbe(desktop).probe(target, 2000)).toEqual({ latencyMs: null, hungByOs: false, noWindow: true });
  });
});
