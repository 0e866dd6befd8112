import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { Incident } from '../../common/incident.ts';
import type { Signal } from '../../common/signal.ts';
import { compilePatterns, type ClientProfile } from '../config/profiles.ts';
import { correlateOffline } from '../incidents/correlateOffline.ts';
import type { ArtefactVerdict } from '../watch/artefactVerdict.ts';
import { readEventXmlFile, readEventXmlStream, type EventFileResult } from '../watch/eventlog/eventFileReader.ts';
import type { EventRecord } from '../watch/eventlog/eventLogXml.ts';
import { eventVerdict } from '../watch/eventlog/eventSignal.ts';
import { parseEventCsv, parseEventJson } from '../watch/eventlog/eventTables.ts';
import { parseEventViewerText } from '../watch/eventlog/eventViewerText.ts';
import { logRecordSignal, UNDATED_NOTE, type LogRecordContext } from '../watch/logRecordSignal.ts';
import { buildLogMatcher } from '../watch/logs/logMatcher.ts';
import { scanLogFile } from '../watch/logs/logScanner.ts';
import { profileAppsOf } from '../watch/wer/profileApps.ts';
import { decodeUnicodeText } from '../watch/wer/unicodeText.ts';
import { parseWerReport } from '../watch/wer/werReport.ts';
import { werVerdict } from '../watch/wer/werSignal.ts';
import { detectArtefact } from './detectArtefact.ts';

/** One file read: what it was, what it held, what became of it (the CLI's JSON contract). */
export interface ScanFile {
  path: string;
  type: 'wer' | 'eventlog' | 'log' | 'unknown';
  /** Report.wer: 1; event export: events read; log: lines read. */
  records: number;
  /** Incidents this file gave evidence to. */
  incidents: number;
  /** Crash or hang records understood but not used: other programs, or before --since. */
  ignored: number;
  /** The programs those crash and hang records belong to, when no profile watches them. */
  otherApps: string[];
}

export interface ScanReport {
  incidents: Array<Pick<Incident, 'kind' | 'startedAt' | 'app' | 'sources' | 'evidence'> & Pick<Incident, 'id' | 'endedAt' | 'signature' | 'profile'>>;
  signals: number;
  /** Every file read. With `skipped`, every file under the given paths appears exactly once. */
  files: ScanFile[];
  /** Files and folders not read, with the reason. */
  skipped: Array<{ path: string; reason: string }>;
  /** Files read in part: bad events skipped, a truncated tail, undated records. */
  warnings: Array<{ path: string; reason: string }>;
}

export interface ScanOptions {
  /** Whose patterns apply to logs (the --profile, default emis-web). */
  profile: ClientProfile;
  allProfiles: readonly ClientProfile[];
  /** --profile was given: logs are that client's, wherever they lie. */
  profileExplicit?: boolean;
  /** Expanded log folders per profile (LoadedConfig.logFolders): a log there is that client's. */
  logFolders?: Readonly<Record<string, readonly string[]>>;
  sinceMs?: number;
  /** --all-apps: WER and Event Log crashes of every program become incidents. */
  allApps?: boolean;
  /** --log-timezone: the IANA zone copied logs and Event Viewer text were written in. */
  logTimeZone?: string;
  platform?: NodeJS.Platform;
}

export interface ScanOutcome {
  report: ScanReport;
  /** Programs no profile watches → crash/hang records seen, for the words under the table. */
  otherApps: Map<string, number>;
}

const MAX_DEPTH = 8;
/** Event Viewer text copies and PowerShell or EvtxECmd tables are read whole: bounded. */
const MAX_TEXT_EXPORT_BYTES = 16 * 1024 * 1024;

type Visit = { kind: 'file'; path: string } | { kind: 'skip'; path: string; reason: string };

/** Every file under `path`; an unreadable folder, a FIFO or a device is one `skip` and the walk goes on. */
async function* walk(path: string, depth: number, seen: Set<string>): AsyncGenerator<Visit> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    yield { kind: 'skip', path, reason: errorReason(err) };
    return;
  }
  if (info.isFile()) {
    yield { kind: 'file', path };
    return;
  }
  if (!info.isDirectory()) {
    const what = info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : 'a device';
    yield { kind: 'skip', path, reason: `${what}, not a regular file: not read` };
    return;
  }
  const identity = `${info.dev}:${info.ino}`;
  if (seen.has(identity)) return; // a link back to a folder already read
  seen.add(identity);
  if (depth > MAX_DEPTH) {
    yield { kind: 'skip', path, reason: `deeper than ${MAX_DEPTH} folders: not read` };
    return;
  }
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (err) {
    yield { kind: 'skip', path, reason: `folder not readable: ${errorReason(err)}` };
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    yield* walk(join(path, entry.name), depth + 1, seen);
  }
}

function errorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return (err as Error).message.split('\n')[0]!;
}

/** Per-file tally while reading. */
class FileTally {
  readonly file: ScanFile;
  readonly otherApps = new Map<string, number>();
  constructor(path: string, type: ScanFile['type']) {
    this.file = { path, type, records: 0, incidents: 0, ignored: 0, otherApps: [] };
  }
  ignoreOther(app: string): void {
    this.file.ignored++;
    this.otherApps.set(app, (this.otherApps.get(app) ?? 0) + 1);
  }
}

/**
 * Offline scan for practice IT: logs, Report.wer files and Event Log exports in every form IT
 * gets them (recognised by content), turned into signals and correlated into incidents. Every
 * file is accounted for: read (`files`, with what it held and what was ignored) or `skipped`
 * with a reason; nothing makes the scan fail as a whole.
 */
export async function scanArtefacts(paths: readonly string[], options: ScanOptions): Promise<ScanOutcome> {
  const signals: Signal[] = [];
  const fileOfSignal = new Map<Signal, FileTally>();
  const tallies: FileTally[] = [];
  const skipped: ScanReport['skipped'] = [];
  const warnings: ScanReport['warnings'] = [];
  const apps = profileAppsOf(options.allProfiles);
  const allApps = options.allApps ?? false;
  const matcher = buildLogMatcher(compilePatterns(options.profile));
  const patternsByProfile = new Map(options.allProfiles.map((p) => [p.name, compilePatterns(p)]));

  const take = (tally: FileTally, signal: Signal): void => {
    if (options.sinceMs !== undefined && signal.at < options.sinceMs) {
      tally.file.ignored++;
      return;
    }
    signals.push(signal);
    fileOfSignal.set(signal, tally);
  };
  const judge = (tally: FileTally, verdict: ArtefactVerdict): void => {
    if (verdict.verdict === 'signal') take(tally, verdict.signal);
    else if (verdict.verdict === 'other-app') tally.ignoreOther(verdict.app);
  };
  const onEvent = (tally: FileTally) => (record: EventRecord): void => {
    tally.file.records++;
    judge(tally, eventVerdict(record, apps, allApps));
  };
  const eventWarnings = (path: string, result: Pick<EventFileResult, 'badEvents' | 'problems'>): void => {
    if (result.badEvents === 0) return;
    const first = result.problems.slice(0, 3).map((p) => `event ${p.event}: ${p.reason}`).join('; ');
    warnings.push({ path, reason: `${result.badEvents} event(s) could not be read and were skipped (${first}${result.badEvents > 3 ? '; …' : ''})` });
  };

  const seen = new Set<string>();
  for (const root of paths) {
    for await (const visit of walk(root, 0, seen)) {
      if (visit.kind === 'skip') {
        skipped.push({ path: visit.path, reason: visit.reason });
        continue;
      }
      const file = visit.path;
      try {
        const kind = await detectArtefact(file);
        if (kind === 'empty') skipped.push({ path: file, reason: 'empty file' });
        else if (kind === 'binary') skipped.push({ path: file, reason: 'binary file: not a log, Report.wer or event export' });
        else if (kind === 'evtx') {
          if ((options.platform ?? process.platform) !== 'win32') {
            skipped.push({ path: file, reason: 'binary .evtx: scan it on Windows, or export it first with wevtutil qe FILE.evtx /lf:true /f:xml > events.xml and scan the XML' });
          } else {
            const tally = new FileTally(file, 'eventlog');
            eventWarnings(file, await readEvtxOnWindows(file, onEvent(tally)));
            tallies.push(tally);
          }
        } else if (kind === 'wer') {
          const tally = new FileTally(file, 'wer');
          const report = parseWerReport(await readFile(file), file);
          tally.file.records = 1;
          judge(tally, werVerdict(report, apps, allApps));
          tallies.push(tally);
        } else if (kind === 'eventlog-xml') {
          const tally = new FileTally(file, 'eventlog');
          eventWarnings(file, await readEventXmlFile(file, onEvent(tally)));
          tallies.push(tally);
        } else if (kind === 'eventviewer-text' || kind === 'eventlog-json' || kind === 'eventlog-csv') {
          // Text copies and tables are read whole: bounded.
          const info = await stat(file);
          if (info.size > MAX_TEXT_EXPORT_BYTES) {
            skipped.push({ path: file, reason: `an event ${kind === 'eventviewer-text' ? 'text copy' : 'table'} of ${Math.round(info.size / 1024 / 1024)} MB: export the events as XML instead (wevtutil qe Application /f:xml, or Save Selected Events… in Event Viewer)` });
            continue;
          }
          const tally = new FileTally(file, 'eventlog');
          const text = decodeUnicodeText(await readFile(file)).text;
          const parsed =
            kind === 'eventviewer-text' ? parseEventViewerText(text, options.logTimeZone) : kind === 'eventlog-json' ? parseEventJson(text, options.logTimeZone) : parseEventCsv(text, options.logTimeZone);
          parsed.records.forEach(onEvent(tally));
          const unread = parsed.events - parsed.records.length;
          if (unread > 0) eventWarnings(file, { badEvents: unread, problems: parsed.problems });
          else for (const p of parsed.problems) warnings.push({ path: file, reason: `event ${p.event}: ${p.reason}` });
          tallies.push(tally);
        } else {
          const tally = new FileTally(file, 'log');
          const context = logContext(file, options, patternsByProfile);
          const modified = (await stat(file)).mtimeMs;
          let undated = 0;
          const result = await scanLogFile(file, context.matcher ?? matcher, (record) => {
            const signal = logRecordSignal({ text: record.text, path: file }, context.record, modified);
            if (signal === null) return;
            if (signal.detail.endsWith(UNDATED_NOTE)) undated++;
            take(tally, signal);
          });
          if (result.lines === 0 && result.skipped.length > 0) {
            skipped.push({ path: file, reason: `no readable lines (${result.skipped.map((s) => s.kind).join(', ')})` });
            continue;
          }
          tally.file.records = result.lines;
          if (undated > 0) warnings.push({ path: file, reason: `${undated} matching record(s) state no time of their own: dated by the file's last change` });
          tallies.push(tally);
        }
      } catch (err) {
        skipped.push({ path: file, reason: (err as Error).message.split('\n')[0]! });
      }
    }
  }

  const incidentsOfFile = new Map<FileTally, Set<string>>();
  const attribute = (tally: FileTally, id: string): void => {
    const set = incidentsOfFile.get(tally) ?? new Set<string>();
    set.add(id);
    incidentsOfFile.set(tally, set);
  };
  // A signal that repeats evidence an incident already holds changes nothing and is not reported: found by its line afterwards.
  const silent: Signal[] = [];
  const correlated = correlateOffline(signals, {}, (signal, ids) => {
    const tally = fileOfSignal.get(signal);
    if (tally === undefined) return;
    if (ids.length === 0) silent.push(signal);
    for (const id of ids) attribute(tally, id);
  });
  for (const signal of silent) {
    const holder = correlated.find((i) => i.app === signal.app && i.evidence.some((line) => line.includes(signal.detail)));
    if (holder) attribute(fileOfSignal.get(signal)!, holder.id);
  }
  const otherApps = new Map<string, number>();
  for (const tally of tallies) {
    tally.file.incidents = incidentsOfFile.get(tally)?.size ?? 0;
    tally.file.otherApps = [...tally.otherApps.keys()].sort();
    for (const [app, count] of tally.otherApps) otherApps.set(app, (otherApps.get(app) ?? 0) + count);
  }
  const incidents = correlated.map((i) => ({
    kind: i.kind,
    startedAt: i.startedAt,
    app: i.app,
    sources: i.sources,
    evidence: i.evidence,
    id: i.id,
    endedAt: i.endedAt,
    signature: i.signature,
    profile: i.profile,
  }));
  return { report: { incidents, signals: signals.length, files: tallies.map((t) => t.file), skipped, warnings }, otherApps };
}

/**
 * Whose log a file is. Only a file inside a profile's log folders, or any file when --profile
 * was given, is that client's; any other log is scanned with the chosen profile's patterns but
 * its app is "unknown" and its evidence names the file: another program's FATAL line must not
 * reach a supplier as an EMIS Web crash.
 */
function logContext(file: string, options: ScanOptions, patternsByProfile: Map<string, ReturnType<typeof compilePatterns>>): { record: LogRecordContext; matcher: ReturnType<typeof buildLogMatcher> | null } {
  const tz = options.logTimeZone === undefined ? {} : { timeZone: options.logTimeZone };
  const owner = options.profileExplicit ? null : profileOwningFolder(file, options);
  if (owner !== null && owner !== options.profile) {
    const patterns = patternsByProfile.get(owner.name)!;
    return { record: { name: owner.name, app: clientApp(owner), patterns, ...tz }, matcher: buildLogMatcher(patterns) };
  }
  const patterns = patternsByProfile.get(options.profile.name) ?? compilePatterns(options.profile);
  if (options.profileExplicit || owner === options.profile) return { record: { name: options.profile.name, app: clientApp(options.profile), patterns, ...tz }, matcher: null };
  return { record: { name: 'unknown', app: 'unknown', patterns, evidencePrefix: `${basename(file)}: `, ...tz }, matcher: null };
}

function clientApp(profile: ClientProfile): string {
  return (profile.processNames[0] ?? profile.name).toLowerCase();
}

function profileOwningFolder(file: string, options: ScanOptions): ClientProfile | null {
  const windows = (options.platform ?? process.platform) === 'win32';
  const norm = (p: string): string => (windows ? resolve(p).toLowerCase() : resolve(p));
  const target = norm(file);
  for (const profile of options.allProfiles) {
    for (const folder of options.logFolders?.[profile.name] ?? []) {
      const dir = norm(folder);
      if (target.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return profile;
    }
  }
  return null;
}

/** Windows only: the Event Log service reads the .evtx for us, streamed into the same reader. */
function readEvtxOnWindows(path: string, onRecord: (record: EventRecord) => void): Promise<EventFileResult> {
  const child = spawn('wevtutil', ['qe', path, '/lf:true', '/f:xml'], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', resolveExit);
  });
  return readEventXmlStream(child.stdout, onRecord).then(async (result) => {
    const code = await exited;
    if (code !== 0) throw new Error(`wevtutil could not read the .evtx file: ${stderr.trim() || `exit code ${code}`}`);
    return result;
  });
}
