// The watcher's worker thread for work on hostile input that may have to be stopped: matching log
// records against the profiles' patterns, and reading a saved Event Log export. A regular
// expression or a parser cannot be interrupted from JavaScript, but a worker thread running one
// can be terminated (recordMatcher.ts and offThreadEventExport.ts do, past their budgets), and
// meanwhile the watcher's own thread goes on answering heartbeats and running the other sources.
import { parentPort, workerData } from 'node:worker_threads';
import type { Signal } from '../../common/signal.ts';
import { compilePatterns, type ClientProfile, type CompiledPatterns } from '../config/profiles.ts';
import { FileEventLogSource } from '../watch/eventlog/eventLogReader.ts';
import { logRecordSignal } from '../watch/logRecordSignal.ts';
import type { EventExportTask } from './offThreadEventExport.ts';
import type { MatchJob, MatchReply, MatchWorkerData } from './recordMatcher.ts';

const port = parentPort;
if (!port) throw new Error('sourceWorker runs as a worker thread');
const task = workerData as MatchWorkerData | EventExportTask;

if ('exportFile' in task) {
  // One read of the export, then the thread ends: its records (or the error) are the answer.
  new FileEventLogSource(task.exportFile).query(task.sinceMs).then(
    (records) => port.postMessage({ records }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? err.message.split('\n')[0] : String(err) }),
  );
} else {
  const profiles = new Map<string, { name: string; app: string; patterns: CompiledPatterns }>(
    task.profiles.map((p) => [p.name, { name: p.name, app: p.app, patterns: compilePatterns({ patterns: p.patterns } as ClientProfile) }]),
  );
  port.on('message', (job: MatchJob) => {
    const profile = profiles.get(job.profile);
    const signal: Signal | null = profile ? logRecordSignal({ text: job.text, path: job.path }, profile, job.fallbackTime) : null;
    port.postMessage({ seq: job.seq, signal } satisfies MatchReply);
  });
  port.postMessage({ ready: true } satisfies MatchReply);
}
