import { readFileSync } from 'node:fs';
import type { ConfigError } from './configError.ts';
import { reloadConfig, type LoadConfigOptions, type LoadedConfig } from './configFile.ts';

/**
 * Notices edits to the user and policy files and reloads them. It polls (content comparison every
 * few seconds) rather than relying on file-system events: the files are tiny, may sit on a share
 * or be replaced by Group Policy, and events there are unreliable. A bad edit is reported once and
 * the previous good config stays in force until the file is fixed.
 */
export class ConfigWatcher {
  private config: LoadedConfig;
  private lastSeen: string;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly options: {
    load: LoadConfigOptions;
    initial: LoadedConfig;
    intervalMs?: number;
    onChange: (config: LoadedConfig) => void;
    onError: (error: ConfigError) => void;
  };

  constructor(options: ConfigWatcher['options']) {
    this.options = options;
    this.config = options.initial;
    this.lastSeen = this.fingerprint();
  }

  current(): LoadedConfig {
    return this.config;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reloads if either file changed since the last look; returns whether it did. */
  check(): boolean {
    const seen = this.fingerprint();
    if (seen === this.lastSeen) return false;
    this.lastSeen = seen;
    const { config, error } = reloadConfig(this.config, this.options.load);
    if (error) {
      this.options.onError(error);
      return true;
    }
    this.config = config;
    this.options.onChange(config);
    return true;
  }

  private fingerprint(): string {
    return [this.options.load.userPath, this.options.load.policyPath].map(readOrMissing).join('\u0000--\u0000');
  }
}

function readOrMissing(path: string | undefined): string {
  if (path === undefined) return '(none)';
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    return `(unreadable: ${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
