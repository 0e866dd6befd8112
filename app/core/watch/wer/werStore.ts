/**
 * The WER report store: where Windows keeps Report.wer files, how to list them, and the watcher
 * that turns new ones into signals. Split into files by job; this module is the entry point.
 */
export { findWerReports, isReportFile, REPORT_FILE_NAME, werRoots } from './werFolders.ts';
export { WerWatcher, type WerDiagnostic, type WerWatcherOptions } from './werWatcher.ts';
