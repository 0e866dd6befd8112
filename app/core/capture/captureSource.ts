/**
 * The ports text capture and the responsiveness probe are built on. Windows implements them with
 * user32/UI Automation through koffi (app/core/capture/win32); Linux, where the clinical client
 * cannot run, with the simulated client's socket and scripted sources for tests.
 * Everything here only reads: no source may send input to the client or change its state.
 */

/** The clinical client's window that has the keyboard, as the OS reports it. */
export interface ForegroundClient {
  pid: number;
  /** Executable name, lower case, e.g. "emisweb.exe". */
  processName: string;
  /** The top-level window's handle, as an opaque string (stable while the window lives). */
  windowHandle: string;
  /** Its title. It may name the patient: it never leaves the capture module in clear. */
  windowTitle: string;
}

/** Which control inside the window: stable while the window lives, holding no content. */
export interface ControlIdentity {
  /** Window class + control id, or UI Automation AutomationId, e.g. "WindowsForms10.RichEdit20W#1043". */
  key: string;
  /** Class name or UI Automation control type, for the label ("RichEdit20W", "Edit", "Document"). */
  className: string;
}

export type CaptureVia = 'wm-gettext' | 'uia-value' | 'uia-text' | 'sim-socket' | 'script';

export type CaptureReading =
  /** The foreground window belongs to none of the watched processes: nothing is read. */
  | { kind: 'not-foreground' }
  /** The client is foreground but no control has the keyboard focus. */
  | { kind: 'no-focus'; client: ForegroundClient }
  /** A password field (ES_PASSWORD, UIA IsPassword): its text is never read. */
  | { kind: 'password'; client: ForegroundClient; control: ControlIdentity }
  /** Reading failed or timed out (a hung client, an editor with no text interface). */
  | { kind: 'unreadable'; client: ForegroundClient; control: ControlIdentity | null; reason: string }
  | { kind: 'text'; client: ForegroundClient; control: ControlIdentity; text: string; via: CaptureVia; truncated: boolean };

export interface TextCaptureSource {
  readonly name: string;
  /**
   * Reads the focused control of the foreground window when that window belongs to one of
   * `processNames` (lower-case executable names). At most `maxChars` characters are read.
   */
  read(processNames: readonly string[], options: { maxChars: number }): Promise<CaptureReading>;
  close?(): void;
}

/** Standard clipboard formats by name ("CF_UNICODETEXT"); registered ones by their registered name. */
export interface ClipboardReading {
  /** Changes with every copy (Windows' GetClipboardSequenceNumber): the journal skips what it has seen. */
  sequence: number;
  formats: readonly string[];
  /** Unicode text; null when there is none, or when it was longer than maxChars (then tooLarge). */
  text: string | null;
  tooLarge: boolean;
  /** The process that put it there (owner of the clipboard), when the OS says. */
  ownerPid: number | null;
}

export interface ClipboardSource {
  /** Cheap: a number that changes whenever the clipboard does. */
  sequence(): Promise<number>;
  read(maxChars: number): Promise<ClipboardReading | null>;
  close?(): void;
}

export interface ProbeTarget {
  pid: number;
  processName: string;
}

export interface ProbeResult {
  /** Round trip to the client's UI thread in ms; null when it did not answer within the timeout. */
  latencyMs: number | null;
  /** The OS itself calls the window hung (IsHungAppWindow: no messages pumped for ~5 s). */
  hungByOs: boolean;
  /** The process has no window to probe (starting up, or a background process): no verdict. */
  noWindow: boolean;
}

/** Times a round trip to the client's UI: WM_NULL through SendMessageTimeoutW on Windows. */
export interface ResponsivenessProbe {
  readonly name: string;
  probe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult>;
  close?(): void;
}
