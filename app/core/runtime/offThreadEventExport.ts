import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { SMALL_YOUNG_GENERATION } from './runtimeEntries.ts';
import type { EventLogSource } from '../watch/eventlog/eventLogReader.ts';
import type { EventRecord } from '../watch/eventlog/eventLogXml.ts';

/** What the source worker is asked when it reads an export (see sourceWorker.ts). */
export interface EventExportTask {
  exportFile: string;
  sinceMs: number;
}

/**
 * A saved Event Log export polled like the live log, read on a worker thread with a time budget:
 * the export is whatever someone copied there (60 MB of XML takes seconds to parse, tens of
 * seconds on a busy PC), and parsing it on the watcher's own thread would stop its heartbeat and
 * every other source. Past the budget the read is stopped and the query fails with one line.
 * Only a regular file is read: opening a FIFO (or a device) blocks a thread of libuv's pool for
 * good, and a terminated worker does not give it back.
 */
export function offThreadEventExport(options: { entry: string | URL; exportFile: string; budgetMs?: number }): EventLogSource {
  const budgetMs = options.budgetMs ?? 60_000;
  return {
    query: async (sinceMs) => {
      const info = await stat(options.exportFile);
      if (!info.isFile()) throw new Error(`the event export ${options.exportFile} is not a regular file; not read`);
      return new Promise<EventRecord[]>((resolve, reject) => {
        const task: EventExportTask = { exportFile: options.exportFile, sinceMs };
        const worker = new Worker(options.entry, { workerData: task, name: 'lifeboat-event-export', resourceLimits: SMALL_YOUNG_GENERATION });
        const timer = setTimeout(() => {
          void worker.terminate();
          reject(new Error(`the event export ${options.exportFile} took longer than ${budgetMs / 1000} s to read; stopped`));
        }, budgetMs);
        const finish = (): void => {
          clearTimeout(timer);
          void worker.terminate();
        };
        worker.once('message', (reply: { records: EventRecord[] } | { error: string }) => {
          finish();
          if ('records' in reply) resolve(reply.records);
          else reject(new Error(reply.error));
        });
        worker.once('error', (err) => {
          finish();
          reject(err);
        });
        worker.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the event export reader stopped (exit code ${code})`));
        });
      });
    },
  };
}
