import { readFileSync } from 'node:fs';
import { stableJson } from '../../common/stableJson.ts';
import type { LoadedConfig } from './configFile.ts';
import { resolveConfig, type ConfigSources, type ResolvedConfig } from './failSafeConfig.ts';
import type { PlatformPolicy } from './platformPolicy.ts';

export interface ConfigWatcherOptions {
  sources: ConfigSources;
  initial: ResolvedConfig;
  /** Registry policy (Windows): its change notifications trigger a reload too. */
  platformPolicy?: PlatformPolicy | null;
  /** How often the files are compared with what was last read. Default 2 s. */
  intervalMs?: number;
  /** The config in force changed, or its problems did (a file broken or fixed). */
  onChange: (resolved: ResolvedConfig, previous: ResolvedConfig) => void;
  onDiagnostic?: (message: string) => void;
}

/**
 * Keeps the running Lifeboat's config current: notices edits to the user and policy files (and
 * registry policy changes on Windows) and resolves the config again by the fail-safe rule, so a
 * broken file takes the rule's fallback and a fixed file takes effect live. It polls the files
 * (content comparison every few seconds) rather than relying on file-system events: the files are
 * tiny, may sit on a share or be replaced by Group Policy, and events there are unreliable.
 */
export class ConfigWatcher {
  private resolved: ResolvedConfig;
  private lastSeen: string;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopPolicy: (() => Promise<void>) | null = null;
  private readonly options: ConfigWatcherOptions;

  constructor(options: ConfigWatcherOptions) {
    this.options = options;
    this.resolved = options.initial;
    this.lastSeen = this.fingerprint();
  }

  current(): ResolvedConfig {
    return this.resolved;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? 2000);
    this.timer.unref();
    this.stopPolicy =
      this.options.platformPolicy?.watch(
        () => this.check(true),
        (message) => this.options.onDiagnostic?.(`policy change notification: ${message}`),
      ) ?? null;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.stopPolicy?.();
    this.stopPolicy = null;
  }

  /** Resolves again if a file changed since the last look (or always, when `force`); returns whether anything changed. */
  check(force = false): boolean {
    const seen = this.fingerprint();
    if (seen === this.lastSeen && !force) return false;
    this.lastSeen = seen;
    const next = resolveConfig(this.options.sources);
    if (sameEffect(this.resolved, next)) return false;
    const previous = this.resolved;
    this.resolved = next;
    this.options.onChange(next, previous);
    return true;
  }

  private fingerprint(): string {
    const { userPath, policyPath } = this.options.sources;
    return [userPath, policyPath].map(readOrMissing).join('\u0000--\u0000');
  }
}

/** Whether two configs would make Lifeboat behave the same (a refresh that rewrote the same values). */
export function sameEffect(a: ResolvedConfig, b: ResolvedConfig): boolean {
  const effect = (r: ResolvedConfig): string => stableJson([effectOf(r.config), r.rule, r.problems]);
  return effect(a) === effect(b);
}

function effectOf(config: LoadedConfig): unknown {
  return [config.settings, config.profiles, config.lockedByPolicy, config.logFolders, config.simSocketDirs];
}

function readOrMissing(path: string | undefined): string {
  if (path === undefined) return '(none)';
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    return `(unreadable: ${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
