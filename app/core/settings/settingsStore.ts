import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiArg, ConfigProblemView, EditableSetting, SettingsView } from '../../common/api.ts';
import { ApiError } from '../api/apiError.ts';
import type { SettingsSource } from '../api/apiBackend.ts';
import { watchedLogFolders } from '../api/logFolderView.ts';
import { writeFileAtomicSync } from '../atomicWrite/atomicWrite.ts';
import { clientCaptureView, NO_CAPTURE_HERE, type CaptureAvailability } from '../capture/captureDescription.ts';
import { readConfigFile, type LoadedConfig } from '../config/configFile.ts';
import type { ResolvedConfig } from '../config/failSafeConfig.ts';
import { lockedSettings } from '../config/settingLocks.ts';

export interface SettingsStoreOptions {
  resolved: ResolvedConfig;
  /** The GP's own config file, where changes are written (atomically); null keeps them in memory only. */
  userPath: string | null;
  /** The config with the GP's change in it, so the running service applies it (a new profile restarts the watcher). */
  onChange?: (config: LoadedConfig, previous: LoadedConfig) => void;
}

/**
 * The one settings store: the GP's settings as the Settings page sees them, derived from the config
 * in force (files and policy, resolved by the fail-safe rule), changes applied to that config and
 * handed to the running service, and written back to the user's file when there is one. A setting
 * the practice's policy fixes is refused with LOCKED_BY_POLICY.
 */
export class SettingsStore implements SettingsSource {
  private resolved: ResolvedConfig;
  private config: LoadedConfig;
  private readonly userPath: string | null;
  private readonly onChange: (config: LoadedConfig, previous: LoadedConfig) => void;
  private availability: () => CaptureAvailability = () => NO_CAPTURE_HERE;

  constructor(options: SettingsStoreOptions) {
    this.resolved = options.resolved;
    this.config = options.resolved.config;
    this.userPath = options.userPath;
    this.onChange = options.onChange ?? (() => {});
  }

  /** The files or the policy changed (and were resolved again): the view follows. */
  setResolved(resolved: ResolvedConfig): void {
    this.resolved = resolved;
    this.config = resolved.config;
  }

  /** The running service says what this computer can capture (known only once the watcher has started). */
  setCaptureAvailability(availability: () => CaptureAvailability): void {
    this.availability = availability;
  }

  /** The config in force, the GP's changes included. */
  current(): LoadedConfig {
    return this.config;
  }

  configProblem(): ConfigProblemView | null {
    return this.resolved.problem;
  }

  get(): SettingsView {
    const { config } = this;
    const { settings } = config;
    return {
      notificationsEnabled: settings.notifications.enabled,
      retentionDays: settings.retentionDays,
      activeProfile: config.active[0]?.name ?? settings.activeProfiles[0] ?? 'emis-web',
      profiles: config.profiles.map((p) => ({ name: p.name, displayName: p.displayName })),
      lockedByPolicy: lockedSettings(config),
      configProblem: this.resolved.problem,
      // Folders are looked for on every read: one may appear once the client has first run.
      logFolders: watchedLogFolders(config),
      clientCapture: clientCaptureView({
        enabled: settings.capture && settings.clientCapture.enabled,
        clipboardJournal: settings.capture && settings.clientCapture.clipboardJournal,
        clientName: config.active[0]?.displayName ?? 'the clinical system',
        retentionDays: settings.retentionDays,
        clipboardMaxChars: settings.clientCapture.clipboardMaxChars,
        availability: this.availability(),
      }),
    };
  }

  update(patch: ApiArg<'updateSettings'>): SettingsView {
    const view = this.get();
    const changed = changedSettings(view, patch);
    const locked = changed.filter((setting) => view.lockedByPolicy.includes(setting));
    if (locked.length > 0) throw new ApiError('LOCKED_BY_POLICY', `${locked.join(', ')} ${locked.length > 1 ? 'are' : 'is'} set by the practice's policy and cannot be changed here; ask practice IT`);
    if (patch.activeProfile !== undefined && !this.config.profiles.some((p) => p.name === patch.activeProfile)) throw new ApiError('BAD_ARGUMENT', `there is no clinical system profile named "${patch.activeProfile}"`);
    if ((patch.clientCaptureEnabled || patch.clipboardJournalEnabled) && !this.config.settings.capture) {
      throw new ApiError('BAD_ARGUMENT', 'keeping drafts is switched off on this computer (capture: false in the settings file), so text capture cannot be switched on here');
    }
    if (changed.length === 0) return view;
    const next = withChoices(this.config, patch);
    this.persist(next, patch);
    const previous = this.config;
    this.config = next;
    this.onChange(next, previous);
    return this.get();
  }

  private persist(next: LoadedConfig, patch: ApiArg<'updateSettings'>): void {
    if (this.userPath === null) return;
    let existing;
    try {
      existing = readConfigFile(this.userPath) ?? {};
    } catch (error) {
      // Writing over it would lose what is in it: the GP or IT fixes it first (Settings shows where).
      throw new ApiError('SETTINGS_FILE_UNREADABLE', `your settings file cannot be read, so the change was not saved: ${(error as Error).message}`);
    }
    const { settings } = next;
    const captureChanged = patch.clientCaptureEnabled !== undefined || patch.clipboardJournalEnabled !== undefined;
    const written = {
      ...existing.settings,
      retentionDays: settings.retentionDays,
      activeProfiles: settings.activeProfiles,
      notifications: { ...existing.settings?.notifications, enabled: settings.notifications.enabled },
      ...(captureChanged || existing.settings?.clientCapture
        ? { clientCapture: { ...existing.settings?.clientCapture, enabled: settings.clientCapture.enabled, clipboardJournal: settings.clientCapture.clipboardJournal } }
        : {}),
    };
    mkdirSync(dirname(this.userPath), { recursive: true });
    writeFileAtomicSync(this.userPath, JSON.stringify({ ...existing, settings: written }, null, 2) + '\n');
  }
}

/** The settings the patch would change (a value equal to the current one is not a change). */
function changedSettings(view: SettingsView, patch: ApiArg<'updateSettings'>): EditableSetting[] {
  const now: Record<EditableSetting, unknown> = {
    notificationsEnabled: view.notificationsEnabled,
    retentionDays: view.retentionDays,
    activeProfile: view.activeProfile,
    clientCaptureEnabled: view.clientCapture.enabled,
    clipboardJournalEnabled: view.clientCapture.clipboardJournal,
  };
  return (Object.keys(now) as EditableSetting[]).filter((setting) => patch[setting] !== undefined && patch[setting] !== now[setting]);
}

/** The config with the GP's choices in it; the profile chosen becomes the one watched. */
function withChoices(config: LoadedConfig, patch: ApiArg<'updateSettings'>): LoadedConfig {
  const { settings } = config;
  const activeProfiles = patch.activeProfile !== undefined ? [patch.activeProfile] : settings.activeProfiles;
  return {
    ...config,
    settings: {
      ...settings,
      retentionDays: patch.retentionDays ?? settings.retentionDays,
      activeProfiles,
      notifications: { ...settings.notifications, enabled: patch.notificationsEnabled ?? settings.notifications.enabled },
      clientCapture: {
        ...settings.clientCapture,
        enabled: patch.clientCaptureEnabled ?? settings.clientCapture.enabled,
        clipboardJournal: patch.clipboardJournalEnabled ?? settings.clientCapture.clipboardJournal,
      },
    },
    // Only a new choice changes what is watched: the active profiles stay as they are otherwise (a
    // caller may have narrowed or adjusted them, as `--profile` and the demo do).
    active: patch.activeProfile !== undefined ? activeProfiles.map((name) => config.profiles.find((p) => p.name === name)!) : config.active,
  };
}
