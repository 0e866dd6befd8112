import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where Windows keeps error reports: a per-machine store (%ProgramData%) and a per-user store
 * (%LocalAppData%), each with ReportQueue (not yet sent) and ReportArchive (sent or refused).
 * Reports go to the user store unless the process had no desktop or policy forces the machine
 * store, so both are watched.
 */
export function werRoots(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
  configured: readonly string[] = [],
): string[] {
  if (platform !== 'win32') return unique(configured);
  const win = path.win32;
  const stores: string[] = [];
  stores.push(win.join(env['ProgramData'] ?? env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'Microsoft', 'Windows', 'WER'));
  const localAppData = env['LOCALAPPDATA'] ?? env['LocalAppData'] ?? (env['USERPROFILE'] ? win.join(env['USERPROFILE'], 'AppData', 'Local') : undefined);
  if (localAppData) stores.push(win.join(localAppData, 'Microsoft', 'Windows', 'WER'));
  const roots = stores.flatMap((store) => [win.join(store, 'ReportArchive'), win.join(store, 'ReportQueue')]);
  return unique([...roots, ...configured]);
}

export const REPORT_FILE_NAME = 'Report.wer';

/**
 * The Report.wer files one level under `root` (AppCrash_*, AppHang_*, Critical_*, NonCritical_*,
 * Kernel_*: any folder holding a Report.wer), sorted by path. A missing root gives an empty list:
 * ReportQueue does not exist until Windows first queues something.
 * `sinceMs` skips reports whose file was last written before then (a report is written at or
 * after its EventTime, so this never drops a newer crash).
 */
export async function findWerReports(root: string, opts: { sinceMs?: number } = {}): Promise<string[]> {
  let folders;
  try {
    folders = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const found: string[] = [];
  for (const folder of folders) {
    if (!folder.isDirectory()) continue;
    const reportPath = await reportFileIn(path.join(root, folder.name));
    if (reportPath === null) continue;
    if (opts.sinceMs !== undefined) {
      const info = await stat(reportPath).catch(() => null);
      if (info === null || info.mtimeMs < opts.sinceMs) continue;
    }
    found.push(reportPath);
  }
  return found.sort();
}

/** True when `file` is named Report.wer (any case: Windows does not care, copies may differ). */
export function isReportFile(file: string): boolean {
  return path.basename(file).toLowerCase() === REPORT_FILE_NAME.toLowerCase();
}

async function reportFileIn(folder: string): Promise<string | null> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const report = entries.find((e) => e.isFile() && isReportFile(e.name));
  return report ? path.join(folder, report.name) : null;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
