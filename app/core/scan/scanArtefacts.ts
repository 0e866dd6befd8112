import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Incident } from '../../common/incident.ts';
import type { Signal } from '../../common/signal.ts';
import { compilePatterns, type ClientProfile } from '../config/profiles.ts';
import { correlateOffline } from '../incidents/correlateOffline.ts';
import { parseEventLogXml } from '../watch/eventlog/eventLogXml.ts';
import { eventSignal } from '../watch/eventlog/eventSignal.ts';
import { logRecordSignal } from '../watch/logRecordSignal.ts';
import { buildLogMatcher } from '../watch/logs/logMatcher.ts';
import { scanLogFile } from '../watch/logs/logScanner.ts';
import type { ProfileApps } from '../watch/wer/profileApps.ts';
import { parseWerReport } from '../watch/wer/werReport.ts';
import { werSignal } from '../watch/wer/werSignal.ts';
import { decodeUnicodeText } from '../watch/wer/unicodeText.ts';
import { detectArtefact } from './detectArtefact.ts';

export interface ScanReport {
  incidents: Array<Pick<Incident, 'kind' | 'startedAt' | 'app' | 'sources' | 'evidence'> & Pick<Incident, 'id' | 'endedAt' | 'signature' | 'profile'>>;
  signals: number;
  skipped: Array<{ path: string; reason: string }>;
}

const MAX_DEPTH = 8;

async function* walk(path: string, depth = 0): AsyncGenerator<string> {
  const info = await stat(path);
  if (info.isFile()) {
    yield path;
    return;
  }
  if (!info.isDirectory() || depth > MAX_DEPTH) return;
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    yield* walk(join(path, entry.name), depth + 1);
  }
}

export function profileApps(profiles: readonly ClientProfile[]): ProfileApps[] {
  return profiles.map((p) => ({
    profile: p.name,
    apps: [...new Set([...p.processNames, ...p.werAppNames].map((n) => n.toLowerCase()).map((n) => (n.endsWith('.exe') ? n : `${n}.exe`)))],
  }));
}

/**
 * Offline scan for practice IT: logs, Report.wer files and wevtutil XML exports, each recognised
 * by content and name, turned into signals and correlated into incidents. Unreadable or junk files
 * are listed as skipped with a reason; nothing makes the scan fail as a whole.
 */
export async function scanArtefacts(paths: readonly string[], options: { profile: ClientProfile; allProfiles: readonly ClientProfile[]; sinceMs?: number }): Promise<ScanReport> {
  const signals: Signal[] = [];
  const skipped: ScanReport['skipped'] = [];
  const apps = profileApps(options.allProfiles);
  const patterns = compilePatterns(options.profile);
  const matcher = buildLogMatcher(patterns);
  const app = (options.profile.processNames[0] ?? options.profile.name).toLowerCase();
  const push = (signal: Signal | null): void => {
    if (signal && (options.sinceMs === undefined || signal.at >= options.sinceMs)) signals.push(signal);
  };

  for (const root of paths) {
    try {
      for await (const file of walk(root)) {
        try {
          const kind = await detectArtefact(file);
          if (kind === 'empty') skipped.push({ path: file, reason: 'empty file' });
          else if (kind === 'binary') skipped.push({ path: file, reason: 'binary file, not a log, Report.wer or XML export' });
          else if (kind === 'evtx') skipped.push({ path: file, reason: 'binary .evtx: export it with wevtutil qe Application /f:xml and scan the XML' });
          else if (kind === 'wer') push(werSignal(parseWerReport(await readFile(file), file), apps));
          else if (kind === 'eventlog-xml') {
            for (const record of parseEventLogXml(decodeUnicodeText(await readFile(file)).text)) push(eventSignal(record, apps));
          } else {
            // A record without a timestamp is dated by the file's last write: the best the file says.
            const modified = (await stat(file)).mtimeMs;
            const result = await scanLogFile(file, matcher, (record) => push(logRecordSignal({ text: record.text, path: file }, { name: options.profile.name, app, patterns }, modified)));
            if (result.lines === 0 && result.diagnostics.length > 0) skipped.push({ path: file, reason: `no readable lines (${result.diagnostics.map((d) => d.kind).join(', ')})` });
          }
        } catch (err) {
          skipped.push({ path: file, reason: (err as Error).message.split('\n')[0]! });
        }
      }
    } catch (err) {
      skipped.push({ path: root, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message.split('\n')[0]! });
    }
  }
  const incidents = correlateOffline(signals).map((i) => ({
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
  return { incidents, signals: signals.length, skipped };
}
