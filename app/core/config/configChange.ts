import { diagnostic, type Diagnostic } from '../../common/diagnostic.ts';
import { stableJson } from '../../common/stableJson.ts';
import type { LoadedConfig } from './configFile.ts';
import { describeConfigProblem, type ResolvedConfig } from './failSafeConfig.ts';

function onOff(on: boolean): string {
  return on ? 'on' : 'off';
}

/** What changed that a running Lifeboat applies, in words for IT ("text capture off, notes kept 7 days"). */
export function describeChange(before: LoadedConfig, after: LoadedConfig): string {
  const live = (c: LoadedConfig) => ({
    capture: c.settings.capture && c.settings.clientCapture.enabled,
    clipboard: c.settings.capture && c.settings.clientCapture.clipboardJournal,
    notifications: c.settings.notifications.enabled,
    days: c.settings.retentionDays,
    clients: c.active.map((p) => p.displayName).join(', '),
  });
  const [a, b] = [live(before), live(after)];
  const changes = [
    a.capture !== b.capture ? `text capture ${onOff(b.capture)}` : null,
    a.clipboard !== b.clipboard ? `clipboard journal ${onOff(b.clipboard)}` : null,
    a.notifications !== b.notifications ? `notifications ${onOff(b.notifications)}` : null,
    a.days !== b.days ? `notes kept ${b.days} days` : null,
    a.clients !== b.clients ? `watching ${b.clients}` : null,
  ].filter((c): c is string => c !== null);
  return changes.length === 0 ? 'nothing that applies while running changed' : changes.join(', ');
}

/**
 * The diagnostic lines for a config that changed while Lifeboat runs: each new problem in full
 * (file, line, column, field, what applies instead), or what the change did.
 */
export function describeConfigChange(previous: ResolvedConfig, next: ResolvedConfig): Diagnostic[] {
  const known = new Set(previous.problems.map((p) => stableJson(p)));
  const fresh = next.problems.filter((p) => !known.has(stableJson(p)));
  const lines = fresh.map((p) =>
    p.layer === 'policy'
      ? diagnostic('config', 'policy-rejected', `policy changed but cannot be used: ${describeConfigProblem(p)}`)
      : diagnostic('config', 'config-file-ignored', `your settings file changed but cannot be used: ${describeConfigProblem(p)}`),
  );
  if (next.problems.length === 0 && previous.problems.length > 0) lines.push(diagnostic('config', 'config-readable-again', 'the settings files can be read again and are in force'));
  const policy = (c: LoadedConfig): string => stableJson([c.files.policy, c.files.registry, c.lockedByPolicy]);
  lines.push(
    policy(previous.config) !== policy(next.config)
      ? diagnostic('config', 'policy-changed', `policy changed (${next.config.files.registry.join(', ') || 'no registry policy now'}): ${describeChange(previous.config, next.config)}`)
      : diagnostic('config', 'settings-changed', `settings changed: ${describeChange(previous.config, next.config)}`),
  );
  return lines;
}

/** A problem found when Lifeboat starts, as the diagnostic IT reads (the GP's words are on Status). */
export function configProblemDiagnostic(problem: ResolvedConfig['problems'][number]): Diagnostic {
  return diagnostic('config', problem.layer === 'policy' ? 'policy-rejected' : 'config-file-ignored', describeConfigProblem(problem));
}
