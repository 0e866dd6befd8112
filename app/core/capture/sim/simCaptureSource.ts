import type { CaptureReading, ProbeTarget, TextCaptureSource } from '../captureSource.ts';
import { z } from 'zod';
import { askSimClient, type SimFocus } from './simSocket.ts';

/** The simulated client is another process: its answer is checked like any input. */
const SimFocusSchema: z.ZodType<SimFocus> = z.object({
  foreground: z.boolean(),
  title: z.string(),
  windowHandle: z.string(),
  control: z.object({ key: z.string(), className: z.string(), password: z.boolean() }).nullable(),
  text: z.string().optional(),
});

/**
 * The Linux TextCaptureSource: asks each running simulated client what its focused control holds,
 * the questions the Windows source puts to user32. Reads time out at 200 ms, as WM_GETTEXT does
 * under SMTO_ABORTIFHUNG, so a hung client costs one timeout per sample and no more.
 */
export class SimCaptureSource implements TextCaptureSource {
  readonly name = 'sim-socket';
  private readonly targets: () => readonly ProbeTarget[];
  private readonly socketFor: (target: ProbeTarget) => string | null;
  private readonly timeoutMs: number;

  constructor(options: { targets: () => readonly ProbeTarget[]; socketFor: (target: ProbeTarget) => string | null; timeoutMs?: number }) {
    this.targets = options.targets;
    this.socketFor = options.socketFor;
    this.timeoutMs = options.timeoutMs ?? 200;
  }

  async read(processNames: readonly string[], options: { maxChars: number }): Promise<CaptureReading> {
    for (const target of this.targets()) {
      if (!processNames.includes(target.processName)) continue;
      const path = this.socketFor(target);
      if (path === null) continue;
      const answer = await askSimClient(path, 'focus?', this.timeoutMs);
      if (answer.kind === 'no-socket') continue;
      const client = { pid: target.pid, processName: target.processName, windowHandle: `sim-${target.pid}`, windowTitle: '' };
      if (answer.kind === 'timeout') return { kind: 'unreadable', client, control: null, reason: `no answer within ${this.timeoutMs} ms` };
      const parsed = SimFocusSchema.safeParse(safeJson(answer.line.replace(/^focus /, '')));
      if (!parsed.success) return { kind: 'unreadable', client, control: null, reason: 'the simulated client sent a malformed answer' };
      const focus = parsed.data;
      if (!focus.foreground) continue;
      client.windowTitle = focus.title;
      client.windowHandle = focus.windowHandle;
      if (!focus.control) return { kind: 'no-focus', client };
      const control = { key: focus.control.key, className: focus.control.className };
      if (focus.control.password) return { kind: 'password', client, control };
      const text = focus.text ?? '';
      return { kind: 'text', client, control, text: text.slice(0, options.maxChars), via: 'sim-socket', truncated: text.length > options.maxChars };
    }
    return { kind: 'not-foreground' };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
