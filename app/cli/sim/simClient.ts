/**
 * A simulated clinical client: a real process that behaves like EMIS Web for tests and the demo.
 * It writes log4net-style logs with rotation, and on command (stdin lines) runs slowly, hangs
 * (stops itself, as a hung UI thread stops answering), crashes the way a .NET client does
 * ("has encountered a serious problem and needs to close", a stack trace, a Report.wer, an
 * abnormal exit code) or closes normally.
 *
 * It also stands in for its window: a socket (simSocketPath) answers `ping` like WM_NULL (late
 * when slow, never when hung) and `focus?` with what the focused control holds, as user32 would.
 *
 *   node app/cli/sim/simClient.ts --log-dir DIR [--wer-dir DIR] [--title NAME] [--socket-dir DIR]
 *        [--rotate-bytes N] [--rotate-mode rename|copytruncate] [--interval-ms N] [--ui-slow-ms N]
 *   stdin: slow | ui-slow | normal | hang | crash | exit | rotate
 *          type TEXT (or a JSON string, for new lines) | clear | title TEXT | focus note|password|away|none
 */
import { closeSync, copyFileSync, existsSync, ftruncateSync, mkdirSync, openSync, renameSync, rmSync, fstatSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { simSocketPath, type SimFocus } from '../../core/capture/sim/simSocket.ts';
import { formatWerReport } from '../../core/watch/wer/werReport.ts';

export const SIM_PROCESS_TITLE = 'lifeboat-sim-client';
/** .NET's unhandled-exception exit code 0xE0434352; a POSIX exit status keeps its low byte. */
const CLR_EXCEPTION_EXIT = 0xe0434352 % 256;

const { values: args } = parseArgs({
  options: {
    'log-dir': { type: 'string' },
    'wer-dir': { type: 'string' },
    title: { type: 'string', default: SIM_PROCESS_TITLE },
    'rotate-bytes': { type: 'string', default: String(256 * 1024) },
    'rotate-mode': { type: 'string', default: 'rename' },
    'interval-ms': { type: 'string', default: '250' },
    'keep-files': { type: 'string', default: '3' },
    'socket-dir': { type: 'string' },
    'ui-slow-ms': { type: 'string', default: '1500' },
  },
});

const logDir = args['log-dir'];
if (!logDir) {
  process.stderr.write('sim-client: --log-dir is required\n');
  process.exit(2);
}
process.title = args.title!;
mkdirSync(logDir, { recursive: true });
const logPath = join(logDir, 'client.log');
const rotateBytes = Number(args['rotate-bytes']);
const rotateMode = args['rotate-mode'] === 'copytruncate' ? 'copytruncate' : 'rename';
const keepFiles = Number(args['keep-files']);
let mode: 'normal' | 'slow' = 'normal';
/** Only the window is slow (a busy UI thread), with nothing in the log: what the probe alone sees. */
let uiSlow = false;
let fd = openSync(logPath, 'a');
let lineNo = 0;

function stamp(date = new Date()): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;
}

function rotate(): void {
  if (rotateMode === 'copytruncate') {
    copyFileSync(logPath, `${logPath}.1`);
    ftruncateSync(fd, 0);
    return;
  }
  closeSync(fd);
  for (let i = keepFiles - 1; i >= 1; i--) {
    if (existsSync(`${logPath}.${i}`)) renameSync(`${logPath}.${i}`, `${logPath}.${i + 1}`);
  }
  renameSync(logPath, `${logPath}.1`);
  fd = openSync(logPath, 'a');
}

/** Writes one record synchronously: a crashing process must not lose its last words in a buffer. */
function log(level: string, logger: string, message: string, extra: string[] = []): void {
  const text = [`${stamp()} [${process.pid}] ${level.padEnd(5)} ${logger} - ${message}`, ...extra].join('\r\n') + '\r\n';
  writeSync(fd, text);
  lineNo++;
  // The open file, not the path: a folder removed under a running client (a test cleaning up) is not a crash of the simulator.
  if (fstatSync(fd).size >= rotateBytes) rotate();
}

function routineWork(): void {
  const ms = mode === 'slow' ? 3000 + Math.floor(Math.random() * 4000) : 40 + Math.floor(Math.random() * 200);
  if (mode === 'slow') log('WARN', 'EmisWeb.Data.RequestBroker', `Request GetPatientJournal took ${ms} ms (threshold 2000 ms)`);
  else log('INFO', 'EmisWeb.Consultation.ConsultationManager', `Consultation view refreshed in ${ms} ms (entry ${lineNo})`);
  if (lineNo % 25 === 0) log('INFO', 'EmisWeb.Shell.PatientBanner', 'Opened record for patient Jane Example, NHS 943 476 5919, DOB 01/02/1960');
}

function dropWerReport(): void {
  const werDir = args['wer-dir'];
  if (!werDir) return;
  const now = new Date();
  const reportId = createHash('sha1').update(`${process.pid}-${now.getTime()}`).digest('hex');
  const guid = `${reportId.slice(0, 8)}-${reportId.slice(8, 12)}-${reportId.slice(12, 16)}-${reportId.slice(16, 20)}-${reportId.slice(20, 32)}`;
  const exe = `${args.title}.exe`;
  const folder = join(werDir, 'ReportArchive', `AppCrash_${exe}_${reportId.slice(0, 40)}_${reportId.slice(0, 8)}_1a2b3c4d`);
  mkdirSync(folder, { recursive: true });
  const bytes = formatWerReport({
    eventType: 'CLR20r3',
    eventTime: now,
    appName: 'Lifeboat Simulated Client',
    appPath: `C:\\Program Files (x86)\\Lifeboat\\${exe}`,
    reportId: guid,
    sigs: [
      { name: 'Problem Signature 01', value: exe },
      { name: 'Problem Signature 02', value: '9.2.1.4410' },
      { name: 'Problem Signature 03', value: '65a1b2c3' },
      { name: 'Problem Signature 04', value: 'EmisWeb.Consultation' },
      { name: 'Problem Signature 05', value: '9.2.1.4410' },
      { name: 'Problem Signature 06', value: '65a1b2c3' },
      { name: 'Problem Signature 07', value: '2f1' },
      { name: 'Problem Signature 08', value: '4e' },
      { name: 'Problem Signature 09', value: 'System.OutOfMemoryException' },
    ],
  });
  // Write under a temp name and rename, as WER itself finishes a report before it appears.
  const tmp = join(folder, 'Report.wer.tmp');
  const out = openSync(tmp, 'w');
  writeSync(out, bytes);
  closeSync(out);
  renameSync(tmp, join(folder, 'Report.wer'));
}

function crash(): never {
  log('FATAL', 'EmisWeb.Shell.UnhandledExceptionHandler', 'EMIS Web has encountered a serious problem and needs to close. We are sorry for the inconvenience.', [
    "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.",
    '   at System.Collections.Generic.List`1.set_Capacity(Int32 value)',
    '   at EmisWeb.Consultation.JournalView.LoadEntries(PatientContext context)',
    '   at System.Windows.Forms.Control.OnPaint(PaintEventArgs e)',
    '   at System.Windows.Forms.NativeWindow.Callback(IntPtr hWnd, Int32 msg, IntPtr wparam, IntPtr lparam)',
  ]);
  dropWerReport();
  process.exit(CLR_EXCEPTION_EXIT);
}

function hang(): void {
  log('WARN', 'EmisWeb.Shell.Dispatcher', 'UI thread blocked waiting for GetPatientJournal');
  // SIGSTOP: the process stays alive but answers nothing, like a hung UI thread (state T in /proc).
  process.kill(process.pid, 'SIGSTOP');
}

function exitNormally(): never {
  log('INFO', 'EmisWeb.Shell.Application', 'Application shutting down (user closed the main window)');
  closeSync(fd);
  process.exit(0);
}

const commands: Record<string, () => void> = {
  slow: () => {
    mode = 'slow';
    log('WARN', 'EmisWeb.Data.RequestBroker', 'Request queue backing up: 12 requests waiting');
  },
  normal: () => {
    mode = 'normal';
    uiSlow = false;
  },
  'ui-slow': () => {
    uiSlow = true;
  },
  hang,
  crash,
  exit: exitNormally,
  rotate,
  clear: () => {
    editor.text = '';
  },
};

/** Commands with an argument: the GP's typing and what the window shows. */
const editorCommands: Record<string, (arg: string) => void> = {
  // A JSON string (any text, new lines included), or plain words typed at a terminal.
  type: (text) => {
    editor.text += text.startsWith('"') ? String(JSON.parse(text)) : text;
  },
  title: (text) => {
    editor.title = text;
  },
  focus: (where) => {
    if (where === 'note' || where === 'password' || where === 'away' || where === 'none') editor.focus = where;
  },
};

/** The consultation editor and its window, as the OS would show them to a text capture tool. */
const editor = {
  title: 'Simulated Clinical Client - Consultation - EXAMPLE, Jane (Mrs) - 943 476 5919',
  windowHandle: `0x${(process.pid * 16).toString(16)}`,
  focus: 'note' as 'note' | 'password' | 'away' | 'none',
  text: '',
};

function focusAnswer(): SimFocus {
  const control =
    editor.focus === 'note' ? { key: 'WindowsForms10.RichEdit20W#1043', className: 'WindowsForms10.RichEdit20W', password: false }
    : editor.focus === 'password' ? { key: 'WindowsForms10.EDIT#1001', className: 'WindowsForms10.EDIT', password: true }
    : null;
  return { foreground: editor.focus !== 'away', title: editor.title, windowHandle: editor.windowHandle, control, ...(control && !control.password ? { text: editor.text } : {}) };
}

/** The "UI thread" answers late when slow; when hung (SIGSTOP) it answers nothing at all. */
function answerLater(reply: () => string, write: (line: string) => void): void {
  const delay = mode === 'slow' || uiSlow ? Number(args['ui-slow-ms']) : 0;
  if (delay === 0) write(reply());
  else setTimeout(() => write(reply()), delay);
}

const socketPath = simSocketPath(args['socket-dir'] ?? logDir, process.pid);
rmSync(socketPath, { force: true });
createServer((socket) => {
  socket.setEncoding('utf8');
  let pending = '';
  socket.on('data', (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const request = pending.slice(0, end).trim();
      pending = pending.slice(end + 1);
      const write = (line: string): void => {
        if (!socket.destroyed) socket.write(`${line}\n`);
      };
      if (request.startsWith('ping ')) answerLater(() => `pong ${request.slice(5)}`, write);
      else if (request === 'focus?') answerLater(() => `focus ${JSON.stringify(focusAnswer())}`, write);
      else write('error unknown request');
    }
  });
  socket.on('error', () => {});
}).listen(socketPath);

log('INFO', 'EmisWeb.Shell.Application', `Simulated client starting, pid ${process.pid}`);
const interval = setInterval(routineWork, Number(args['interval-ms']));
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = commands[line.trim()];
  const space = line.indexOf(' ');
  const withArg = space > 0 ? editorCommands[line.slice(0, space)] : undefined;
  if (command) command();
  else if (withArg) withArg(line.slice(space + 1));
  // Never echo typed text: a test log is not the place for a note.
  process.stdout.write(`ok ${withArg ? line.slice(0, space) : line.trim()}\n`);
});
process.stdin.on('end', () => {
  clearInterval(interval);
  exitNormally();
});
process.stdout.write(`ready ${process.pid}\n`);
