import { describeIssues } from '../../common/describeIssues.ts';
import { EventEmitter } from 'node:events';
import type { ApiArg, ApiName, ApiResult, ApiResults, LifeboatEvent, SettingsView, StatusView } from '../../common/api.ts';
import { ApiArgs } from '../../common/api.ts';
import { SNIPPET_MARK } from '../../common/draftText.ts';
import type { Incident } from '../../common/incident.ts';
import type { Vault } from '../vault/vault.ts';
import { VaultError } from '../vault/vaultErrors.ts';
import { ApiError } from './apiError.ts';
import { exportFile } from './exportFiles.ts';
import { practiceView } from './practiceView.ts';
import { groupDraftsByIncident } from './recoveryGroups.ts';
import { clientNamesFrom, incidentView, pendingRecovery, recoveryGroupViews, withListFacts, type ClientNames } from './recoveryView.ts';
import { siteContext, type SiteContext } from './siteContext.ts';

export { ApiError };

/** What the live service reports; the backend adds what it reads from the vault. */
export type LiveStatus = Omit<StatusView, 'lastIncidents' | 'recoverableDrafts' | 'awaitingRecovery'>;

/** The live parts the backend reports but does not own: health, client process, notifications. */
export interface StatusSource {
  status(): LiveStatus;
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

export interface ApiDeps {
  vault: Vault;
  status: StatusSource;
  settings: SettingsStore;
  now: () => number;
  /** This computer and practice (reports, the practice share); default: nothing configured. */
  site?: SiteContext;
}

export function createApiHandlers(deps: ApiDeps): ApiHandlers {
  const { vault } = deps;
  const site = deps.site ?? siteContext({ vaultPath: vault.path });
  const names = (): ClientNames => clientNamesFrom(deps.settings.get().profiles);
  const recentIncidents = (): Incident[] => vault.listIncidents({ from: deps.now() - RECENT_INCIDENT_WINDOW_MS });
  return {
    getStatus: () => {
      // One snapshot: health from the service, then what the vault says, read once.
      const live = deps.status.status();
      const incidents = recentIncidents();
      const clientNames = names();
      const pending = pendingRecovery(groupDraftsByIncident(vault, incidents), clientNames);
      return {
        ...live,
        lastIncidents: incidents.slice(-5).reverse().map((i) => incidentView(i, clientNames)),
        recoverableDrafts: pending.count,
        awaitingRecovery: pending.awaiting,
      };
    },
    saveDraft: (arg) => vault.save(arg),
    listDrafts: (arg) => vault.list({ limit: arg.limit ?? 200 }),
    searchDrafts: (arg) => {
      const hits = withListFacts(vault, vault.search(arg.query, { limit: arg.limit ?? 50 }), names());
      const snippets = vault.snippets(arg.query, hits.map((h) => h.id), SNIPPET_MARK);
      return hits.map((h) => ({ ...h, snippet: snippets.get(h.id) ?? h.preview }));
    },
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
    listIncidents: (arg) => {
      const clientNames = names();
      return vault
        .listIncidents({
          ...(arg.from ? { from: Date.parse(arg.from) } : {}),
          ...(arg.to ? { to: Date.parse(arg.to) } : {}),
        })
        .map((i) => incidentView(i, clientNames));
    },
    recoveryCandidates: () => {
      const clientNames = names();
      return recoveryGroupViews(vault, groupDraftsByIncident(vault, recentIncidents()), clientNames);
    },
    exportFile: (arg) => exportFile(arg, { vault, now: deps.now(), site, names: names() }),
    practiceView: () => practiceView(site, deps.now()),
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
