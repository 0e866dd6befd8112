import { diagnostic, type DiagnosticSink } from '../../common/diagnostic.ts';
import { reloadConfig, type LoadConfigOptions, type LoadedConfig } from './configFile.ts';
import type { PlatformPolicy } from './platformPolicy.ts';

/** What a running Lifeboat can change without a restart when policy changes. */
export interface LiveSettings {
  captureEnabled: boolean;
  clipboardJournal: boolean;
  notificationsEnabled: boolean;
  retentionDays: number;
}

export function liveSettings(config: LoadedConfig): LiveSettings {
  const { capture, clientCapture, notifications, retentionDays } = config.settings;
  return { captureEnabled: capture && clientCapture.enabled, clipboardJournal: capture && clientCapture.clipboardJournal, notificationsEnabled: notifications.enabled, retentionDays };
}

function sameEffect(a: LoadedConfig, b: LoadedConfig): boolean {
  const effect = (c: LoadedConfig): string => JSON.stringify([c.settings, c.profiles, c.lockedByPolicy, c.files.registry]);
  return effect(a) === effect(b);
}

function describeChange(before: LiveSettings, after: LiveSettings): string {
  const onOff = (on: boolean): string => (on ? 'on' : 'off');
  const changes = [
    before.captureEnabled !== after.captureEnabled ? `text capture ${onOff(after.captureEnabled)}` : null,
    before.clipboardJournal !== after.clipboardJournal ? `clipboard journal ${onOff(after.clipboardJournal)}` : null,
    before.notificationsEnabled !== after.notificationsEnabled ? `notifications ${onOff(after.notificationsEnabled)}` : null,
    before.retentionDays !== after.retentionDays ? `notes kept ${after.retentionDays} days` : null,
  ].filter((c): c is string => c !== null);
  return changes.length === 0 ? 'nothing that applies while running changed' : changes.join(', ');
}

/**
 * Applies policy changes while Lifeboat runs (Group Policy refresh, an Intune sync): on each change
 * the config is loaded again, files and registry alike, and what can change live is applied. A bad
 * policy keeps the previous config in force and says why. Returns stop().
 */
export function applyPolicyLive(options: {
  policy: PlatformPolicy;
  load: LoadConfigOptions;
  initial: LoadedConfig;
  apply: (settings: LiveSettings) => void;
  onDiagnostic: DiagnosticSink;
}): () => Promise<void> {
  let current = options.initial;
  return options.policy.watch(
    () => {
      const { config, error } = reloadConfig(current, { ...options.load, policySources: options.policy.sources });
      if (error) {
        options.onDiagnostic(diagnostic('config', 'policy-rejected', `policy changed but cannot be used, the previous settings stay in force: ${error.message}`));
        return;
      }
      // Another program's policy under the same parent, or a refresh that rewrote the same values.
      if (sameEffect(current, config)) return;
      const before = liveSettings(current);
      const after = liveSettings(config);
      current = config;
      options.apply(after);
      options.onDiagnostic(diagnostic('config', 'policy-changed', `policy changed (${config.files.registry.join(', ') || 'no registry policy now'}): ${describeChange(before, after)}`));
    },
    (message) => options.onDiagnostic(diagnostic('config', 'policy-unavailable', `policy change notification: ${message}`)),
  );
}
