import { describeIssues } from '../../common/describeIssues.ts';
import { EventEmitter } from 'node:events';
import type { ApiArg, ApiName, ApiResult, ApiResults, LifeboatEvent, RecoveryGroup, SettingsView, StatusView } from '../../common/api.ts';
import { ApiArgs } from '../../common/api.ts';
import type { Incident } from '../../common/incident.ts';
import type { Vault } from '../vault/vault.ts';
import { VaultError } from '../vault/vaultErrors.ts';
import { groupDraftsByIncident } from './recoveryGroups.ts';

/** An error meant for the person using the screen: its message is shown as it is. */
export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The live parts the backend reports but does not own: health, client process, notifications. */
export interface StatusSource {
  status(): Omit<StatusView, 'lastIncidents' | 'recoverableDrafts'>;
  pauseNotifications(minutes: number): string | null;
}

export interface SettingsStore {
  get(): SettingsView;
  update(patch: ApiArg<'updateSettings'>): SettingsView;
}

export type ApiHandlers = { [N in ApiName]: (arg: ApiArg<N>) => ApiResults[N] | Promise<ApiResults[N]> };

/** Events for the renderer: health changes, incidents, notifications (never note text). */
export class LifeboatEvents {
  private readonly emitter = new EventEmitter();
  emit(event: LifeboatEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(listener: (event: LifeboatEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

const RECENT_INCIDENT_WINDOW_MS = 7 * 24 * 3_600_000;

export function createApiHandlers(deps: { vault: Vault; status: StatusSource; settings: SettingsStore; now: () => number }): ApiHandlers {
  const { vault } = deps;
  const recentIncidents = (): Incident[] => vault.listIncidents({ from: deps.now() - RECENT_INCIDENT_WINDOW_MS });
  const recoveryGroups = (): RecoveryGroup[] => groupDraftsByIncident(vault, recentIncidents());
  return {
    getStatus: () => {
      const incidents = recentIncidents();
      const groups = groupDraftsByIncident(vault, incidents);
      return {
        ...deps.status.status(),
        lastIncidents: incidents.slice(-5).reverse(),
        recoverableDrafts: groups.filter((g) => g.incident !== null).reduce((n, g) => n + g.drafts.length, 0),
      };
    },
    saveDraft: (arg) => vault.save(arg),
    listDrafts: (arg) => vault.list({ limit: arg.limit ?? 200 }),
    searchDrafts: (arg) => vault.search(arg.query, { limit: arg.limit ?? 50 }),
    getDraft: (arg) => vault.show(arg.id, arg.revision),
    getDraftInfo: (arg) => vault.info(arg.id),
    listRevisions: (arg) => vault.revisions(arg.id),
    restoreRevision: (arg) => vault.restore(arg.id, arg.revision),
    setDraftState: (arg) => {
      vault.setState(arg.id, arg.state);
      return { ok: true as const };
    },
    listIncidents: (arg) =>
      vault.listIncidents({
        ...(arg.from ? { from: Date.parse(arg.from) } : {}),
        ...(arg.to ? { to: Date.parse(arg.to) } : {}),
      }),
    recoveryCandidates: () => recoveryGroups(),
    pauseNotifications: (arg) => ({ pausedUntil: deps.status.pauseNotifications(arg.minutes) }),
    getSettings: () => deps.settings.get(),
    updateSettings: (arg) => deps.settings.update(arg),
  };
}

/**
 * Validates the untrusted argument with the call's zod schema, runs the handler, and returns an
 * ApiResult: typed errors become { code, message }; anything unexpected is reported without a stack.
 */
export async function dispatchApiCall(handlers: ApiHandlers, name: string, rawArg: unknown): Promise<ApiResult<unknown>> {
  if (!Object.hasOwn(ApiArgs, name)) return { ok: false, error: { code: 'UNKNOWN_CALL', message: `no such call: ${name.slice(0, 60)}` } };
  const call = name as ApiName;
  const parsed = ApiArgs[call].safeParse(rawArg ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'BAD_ARGUMENT', message: describeIssues(parsed.error.issues) } };
  }
  try {
    const handler = handlers[call] as (arg: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof VaultError || err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
    return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message.split('\n')[0]! : 'unexpected error' } };
  }
}
