// A source worker that matches the way Lifeboat did before its log patterns were made linear:
// each profile pattern compiled as a V8 regular expression and run on the whole record, which can
// backtrack for minutes on one line. The match budget (app/core/runtime/recordMatcher.ts) and the
// note side's isolation from the watcher are tested against it: they exist for the next such
// mistake, which the production matcher (sourceWorker.ts, linear patterns) no longer makes.
// It speaks the production worker's protocol (MatchJob / MatchReply).
import { parentPort, workerData } from 'node:worker_threads';
import type { Signal } from '../../app/common/signal.ts';
import type { PatternSpec } from '../../app/core/config/profiles.ts';
import type { MatchJob, MatchReply, MatchWorkerData } from '../../app/core/runtime/recordMatcher.ts';

const port = parentPort!;
const data = workerData as MatchWorkerData;
const compile = (specs: readonly PatternSpec[] | undefined): RegExp[] =>
  (specs ?? []).map((spec) => (typeof spec === 'string' ? new RegExp(spec, 'i') : new RegExp(spec.pattern, spec.caseSensitive ? '' : 'i')));
const profiles = new Map(data.profiles.map((p) => [p.name, { app: p.app, crash: compile(p.patterns.crash), hang: compile(p.patterns.hang), slow: compile(p.patterns.slow) }]));

port.on('message', (job: MatchJob) => {
  const profile = profiles.get(job.profile);
  const firstLine = job.text.split(/\r?\n/, 1)[0] ?? '';
  const kind: Signal['kind'] | null = !profile
    ? null
    : profile.crash.some((re) => re.test(job.text))
      ? 'crash'
      : profile.hang.some((re) => re.test(firstLine))
        ? 'hang'
        : profile.slow.some((re) => re.test(firstLine))
          ? 'slow'
          : null;
  const signal: Signal | null = kind && profile ? { source: 'log', kind, at: job.fallbackTime, app: profile.app, profile: job.profile, detail: firstLine.slice(0, 500), origin: job.path } : null;
  port.postMessage({ seq: job.seq, signal } satisfies MatchReply);
});
port.postMessage({ ready: true } satisfies MatchReply);
