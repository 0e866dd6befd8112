import { describeIssues } from '../../common/describeIssues.ts';
import { EventEmitter } from 'node:events';
import type { ApiArg, ApiName, ApiResult, ApiResults, ConfigProblemView, LifeboatEvent, SettingsView, StatusView } from '../../common/api.ts';
import { ApiArgs, isApiErrorCode } from '../../common/api.ts';
import type { Vault } from '../vault/vault.ts';
import { VaultError } from '../vault/vaultErrors.ts';
import { ApiError } from './apiError.ts';
import { siteContext, type SiteContext } from './siteContext.ts';
import { inThreadReads, type AsyncVaultReads } from './uiReads.ts';

export { ApiError };

/** What the live service reports; the backend adds what it reads from the vault. */
export type LiveStatus = Omit<StatusView, 'lastIncidents' | 'recoverableDrafts' | 'awaitingRecovery' | 'configProblem'>;

/** The live parts the backend reports but does not own: health, client process, notifications. */
export interface StatusSource {
  status(): LiveStatus;
  pauseNotifications(minutes: number): string | null;
}

export interface SettingsSource {
  get(): SettingsView;
  /** Throws ApiError: LOCKED_BY_POLICY for a setting the policy fixes, BAD_ARGUMENT for an unknown profile. */
  update(patch: ApiArg<'updateSettings'>): SettingsView;
  /** The configuration problem in force (Status shows it too); cheap. */
  configProblem(): ConfigProblemView | null;
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

export interface ApiDeps {
  vault: Vault;
  status: StatusSource;
  settings: SettingsSource;
  now: () => number;
  /** This computer and practice (reports, the practice share); default: nothing configured. */
  site?: SiteContext;
  /**
   * Where the long reads run: the running service's vault worker (its own connections, another
   * thread); default: on this thread, for one-shot commands and tests.
   */
  reads?: AsyncVaultReads;
}

/**
 * The UI's calls. Saves and single-draft reads and writes go to the vault writer on this thread (a
 * save must be durable when it returns); lists, search, incidents, recovery grouping, reports and
 * the practice share go to `reads`, the maintenance worker in the running service, so a long
 * query never holds up a save.
 */
export function createApiHandlers(deps: ApiDeps): ApiHandlers {
  const { vault } = deps;
  const site = deps.site ?? siteContext({ vaultPath: vault.path });
  const reads = deps.reads ?? inThreadReads(vault);
  const names = () => deps.settings.get().profiles;
  return {
    getStatus: async () => {
      // Health from the service, then what the vault says.
      const live = deps.status.status();
      return { ...live, configProblem: deps.settings.configProblem(), ...(await reads.statusSummary(deps.now(), names())) };
    },
    saveDraft: (arg) => vault.save(arg),
    listDrafts: (arg) => reads.list(arg.limit ?? 200),
    searchDrafts: (arg) => reads.search(arg.query, arg.limit ?? 50, names()),
    getDraft: (arg) => vault.show(arg.id, arg.revision),
    getDraftInfo: (arg) => vault.info(arg.id),
    listRevisions: (arg) => vault.revisions(arg.id),
    restoreRevision: (arg) => vault.restore(arg.id, arg.revision),
    setDraftState: (arg) => {
      vault.setState(arg.id, arg.state);
      return { ok: true as const };
    },
    discardDraft: (arg) => {
      vault.discard(arg.id);
      return { ok: true as const };
    },
    listIncidents: (arg) =>
      reads.listIncidents(
        {
          ...(arg.from ? { from: Date.parse(arg.from) } : {}),
          ...(arg.to ? { to: Date.parse(arg.to) } : {}),
        },
        names(),
      ),
    recoveryCandidates: () => reads.recoveryCandidates(deps.now(), names()),
    exportFile: (arg) => reads.exportFile(arg, deps.now(), site, names()),
    practiceView: () => reads.practiceView(site, deps.now()),
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
    if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
    if (err instanceof VaultError) return { ok: false, error: { code: isApiErrorCode(err.code) ? err.code : 'VAULT_ERROR', message: err.message } };
    return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message.split('\n')[0]! : 'unexpected error' } };
  }
}
