import type { ConfigProblemDetail, ConfigProblemView } from '../../common/api.ts';
import { ConfigError } from './configError.ts';
import { mergeConfigLayers, readPolicyLayers, readUserLayer, type ConfigLayerFile, type LoadConfigOptions, type LoadedConfig } from './configFile.ts';
import type { LastGoodPolicyFile } from './lastGoodPolicy.ts';
import { EVERY_LOCK_PATH } from './settingLocks.ts';

export interface ConfigSources extends LoadConfigOptions {
  /** Where the last good policy is kept (the app's state folder); null: nowhere (one-shot commands, tests). */
  lastGood: LastGoodPolicyFile | null;
  now: () => number;
}

/** Which branch of the rule decided the config in force. */
export type ConfigRule = 'as-configured' | 'user-file-ignored' | 'last-good-policy' | 'most-restrictive';

export interface ResolvedConfig {
  config: LoadedConfig;
  rule: ConfigRule;
  /** What could not be used, with what was done instead; empty when everything loaded. */
  problems: ConfigProblemDetail[];
  /** One sentence for the GP and the details for IT; null when everything loaded. */
  problem: ConfigProblemView | null;
}

/** Capture and the clipboard journal off: what applies when no machine policy can be read and none was ever kept. */
const MOST_RESTRICTIVE: ConfigLayerFile = {
  layer: 'policy',
  path: 'most restrictive settings (no readable practice policy)',
  file: { settings: { capture: false, clientCapture: { enabled: false, clipboardJournal: false } } },
};

export const GP_POLICY_PROBLEM = "Lifeboat's practice settings could not be read; your notes are still kept; tell your IT lead.";
export const GP_USER_FILE_PROBLEM = "Your own Lifeboat settings could not be read, so the practice's settings are used; your notes are still kept; tell your IT lead.";

/**
 * The one rule for a configuration Lifeboat cannot use, the same for the desktop app, `serve` and
 * `watch` (startLifeboat loads through here, at start and on every change):
 * - the vault and the note window always start: nothing here throws for a bad file;
 * - a bad user file: that file is ignored, the policy stays in force;
 * - a bad or unreadable policy: the last good policy (kept after each good load) is in force; with
 *   none, the most restrictive settings: capture and clipboard journal off, every setting locked.
 *   Never "no policy";
 * - every problem is reported with its file, line, column and field (Status and Settings show it).
 */
export function resolveConfig(sources: ConfigSources): ResolvedConfig {
  const problems: ConfigProblemDetail[] = [];
  const merge = (layers: readonly ConfigLayerFile[]): LoadedConfig => mergeConfigLayers(layers, sources);

  let policy: readonly ConfigLayerFile[] | null = null;
  let rule: ConfigRule = 'as-configured';
  try {
    policy = readPolicyLayers(sources);
    merge(policy);
    sources.lastGood?.save(policy, sources.now());
  } catch (error) {
    const fallback = policyFallback(sources, merge);
    problems.push(detailOf('policy', error, fallback.instead));
    policy = fallback.layers;
    rule = fallback.rule;
  }

  let user: ConfigLayerFile[] = [];
  try {
    user = readUserLayer(sources.userPath);
    if (user.length > 0) merge([...user, ...policy]);
  } catch (error) {
    problems.push(detailOf('user', error, "this file is ignored; the practice's settings and the built-in defaults apply"));
    user = [];
    if (rule === 'as-configured') rule = 'user-file-ignored';
  }

  const merged = merge([...user, ...policy]);
  const config = rule === 'most-restrictive' ? { ...merged, lockedByPolicy: [...new Set([...merged.lockedByPolicy, ...EVERY_LOCK_PATH])] } : merged;
  return { config, rule, problems, problem: problems.length === 0 ? null : { forGp: rule === 'user-file-ignored' ? GP_USER_FILE_PROBLEM : GP_POLICY_PROBLEM, details: problems } };
}

function policyFallback(sources: ConfigSources, merge: (layers: readonly ConfigLayerFile[]) => LoadedConfig): { layers: readonly ConfigLayerFile[]; rule: ConfigRule; instead: string } {
  const kept = sources.lastGood?.read() ?? null;
  if (kept) {
    const layers = kept.layers.map((l) => ({ ...l, path: `${l.path} (last good copy, ${kept.savedAt})` }));
    try {
      merge(layers);
      return { layers, rule: 'last-good-policy', instead: `the last good policy, read at ${kept.savedAt}, stays in force (${sources.lastGood!.path})` };
    } catch {
      // A copy that no longer loads (a built-in profile it relied on changed): as if there were none.
    }
  }
  return { layers: [MOST_RESTRICTIVE], rule: 'most-restrictive', instead: 'no good policy was ever kept here: the most restrictive settings apply (text capture and clipboard journal off, every setting locked)' };
}

function detailOf(layer: ConfigProblemDetail['layer'], error: unknown, instead: string): ConfigProblemDetail {
  if (error instanceof ConfigError) return { layer, file: error.file, line: error.line, column: error.column, field: error.field, detail: error.detail, instead };
  // Not a file problem (a registry read that failed in an unexpected way): reported all the same, never thrown.
  return { layer, file: '(policy)', line: null, column: null, field: null, detail: error instanceof Error ? error.message.split('\n')[0]! : String(error), instead };
}

/** The config problem as one line for a terminal or a log (IT reads it there in `watch` and `serve`). */
export function describeConfigProblem(detail: ConfigProblemDetail): string {
  const where = detail.line !== null ? `:${detail.line}:${detail.column ?? 1}` : '';
  const field = detail.field ? ` ${detail.field}:` : '';
  return `${detail.file}${where}:${field} ${detail.detail}; ${detail.instead}`;
}
