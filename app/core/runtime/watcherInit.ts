import { stableJson } from '../../common/stableJson.ts';
import type { WatcherInit } from '../../common/watcherChannel.ts';
import type { LoadedConfig } from '../config/configFile.ts';
import { werRoots } from '../watch/wer/werFolders.ts';

/** What the watcher needs to know about this computer and the service, besides the config. */
export interface WatcherSetup {
  stateDir: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  workstation: string;
  /** WER store roots; default: the platform's (none on Linux) plus settings.werRoots. */
  werRoots?: readonly string[];
  eventLog: WatcherInit['eventLog'];
  logStartAt: WatcherInit['logStartAt'];
  /** Reports and events from the first start on: a restarted watcher reads what it missed. */
  sinceMs: number;
  practiceIntervalMs?: number;
  captureIntervals: WatcherInit['captureIntervals'];
  captureSalt: string;
  heartbeatMs: number;
  matchBudgetMs: number;
  stuckAfterMs: number;
  sourceWorkerEntry: string;
}

/** Plain JSON of what the watcher needs of the config (it checks it again with the config schemas). */
export function watcherConfigPart(config: LoadedConfig): WatcherInit['config'] {
  return {
    settings: config.settings as unknown as Record<string, unknown>,
    active: config.active as unknown as Array<Record<string, unknown>>,
    logFolders: config.logFolders,
    simSocketDirs: config.simSocketDirs,
  };
}

/** The capture switches in force: nothing is captured while keeping drafts is off (`capture: false`). */
export function captureSwitches(config: LoadedConfig): WatcherInit['capture'] {
  const { capture, clientCapture } = config.settings;
  return { enabled: capture && clientCapture.enabled, clipboardJournal: capture && clientCapture.clipboardJournal };
}

/** Whether incidents go to the watcher at all: only it talks to syslog and the practice share. */
export function forwardsIncidents(config: LoadedConfig): boolean {
  return config.settings.syslog !== undefined || config.settings.sharePath !== undefined;
}

/**
 * The watcher's start message for this config: every source the watcher creates (processes, logs,
 * WER, the Event Log, capture, the practice share, syslog) is decided by it (runtime/watcherSide.ts).
 */
export function watcherInit(config: LoadedConfig, setup: WatcherSetup): WatcherInit {
  return {
    config: watcherConfigPart(config),
    stateDir: setup.stateDir,
    platform: setup.platform,
    workstation: setup.workstation,
    werRoots: [...(setup.werRoots ?? werRoots(setup.env, setup.platform, config.settings.werRoots))],
    eventLog: setup.eventLog,
    logStartAt: setup.logStartAt,
    sinceMs: setup.sinceMs,
    ...(setup.practiceIntervalMs ? { practiceIntervalMs: setup.practiceIntervalMs } : {}),
    captureIntervals: setup.captureIntervals,
    captureSalt: setup.captureSalt,
    capture: captureSwitches(config),
    heartbeatMs: setup.heartbeatMs,
    matchBudgetMs: setup.matchBudgetMs,
    stuckAfterMs: setup.stuckAfterMs,
    sourceWorkerEntry: setup.sourceWorkerEntry,
  };
}

/** Whether a watcher started with `before` must be replaced to apply `after` (capture switches apply live without). */
export function watcherNeedsRestart(before: WatcherInit, after: WatcherInit): boolean {
  const settled = (init: WatcherInit): string => {
    const settings = init.config.settings as { clientCapture?: Record<string, unknown> };
    // What the running watcher is told live (setCapture), or does not use: not a reason to restart.
    const live = { capture: null, notifications: null, retentionDays: null, clientCapture: { ...settings.clientCapture, enabled: null, clipboardJournal: null } };
    return stableJson({ ...init, capture: null, config: { ...init.config, settings: { ...init.config.settings, ...live } } });
  };
  return settled(before) !== settled(after);
}
