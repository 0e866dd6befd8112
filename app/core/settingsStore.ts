import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiArg, SettingsView } from '../common/api.ts';
import { ApiError, type SettingsStore } from './api/apiBackend.ts';
import { watchedLogFolders } from './api/logFolderView.ts';
import { applySettingsPatch } from './api/settingsPatch.ts';
import { writeFileAtomicSync } from './atomicWrite/atomicWrite.ts';
import { clientCaptureView, NO_CAPTURE_HERE, type CaptureAvailability } from './capture/captureDescription.ts';
import { isLockedByPolicy, readConfigFile, type LoadedConfig } from './config/configFile.ts';

/**
 * The GP's settings as the UI sees them: what the loaded config says, changes written back to the
 * user's config file (atomically), and anything the machine policy fixes refused with a reason.
 */
export class ConfigSettingsStore implements SettingsStore {
  private readonly config: LoadedConfig;
  private readonly userPath: string | null;
  private view: SettingsView;
  private readonly onChange: (view: SettingsView) => void;
  private availability: () => CaptureAvailability = () => NO_CAPTURE_HERE;

  constructor(config: LoadedConfig, userPath: string | null, onChange: (view: SettingsView) => void = () => {}) {
    this.config = config;
    this.userPath = userPath;
    this.onChange = onChange;
    const capture = config.settings.clientCapture;
    this.view = {
      notificationsEnabled: config.settings.notifications.enabled,
      retentionDays: config.settings.retentionDays,
      activeProfile: config.active[0]?.name ?? config.settings.activeProfiles[0] ?? 'emis-web',
      profiles: config.profiles.map((p) => ({ name: p.name, displayName: p.displayName })),
      lockedByPolicy: config.lockedByPolicy,
      logFolders: watchedLogFolders(config),
      clientCapture: this.captureView(config.settings.capture && capture.enabled, config.settings.capture && capture.clipboardJournal, config.settings.retentionDays),
    };
  }

  /** The running service says what this computer can capture (known only once it has started). */
  setCaptureAvailability(availability: () => CaptureAvailability): void {
    this.availability = availability;
  }

  private captureView(enabled: boolean, clipboardJournal: boolean, retentionDays: number): SettingsView['clientCapture'] {
    const clientName = this.config.active[0]?.displayName ?? 'the clinical system';
    return clientCaptureView({ enabled, clipboardJournal, clientName, retentionDays, clipboardMaxChars: this.config.settings.clientCapture.clipboardMaxChars, availability: this.availability() });
  }

  get(): SettingsView {
    const { enabled, clipboardJournal } = this.view.clientCapture;
    // Folders are looked for on every read: one may appear once the client has first run.
    return { ...this.view, logFolders: watchedLogFolders(this.config), clientCapture: this.captureView(enabled, clipboardJournal, this.view.retentionDays) };
  }

  update(patch: ApiArg<'updateSettings'>): SettingsView {
    const locked: Array<[keyof typeof patch, string]> = [
      ['notificationsEnabled', 'notifications.enabled'],
      ['retentionDays', 'retentionDays'],
      ['activeProfile', 'activeProfiles'],
      ['clientCaptureEnabled', 'clientCapture.enabled'],
      ['clipboardJournalEnabled', 'clientCapture.clipboardJournal'],
    ];
    for (const [key, path] of locked) {
      if (patch[key] !== undefined && isLockedByPolicy(this.config, path)) throw new ApiError('SETTING_LOCKED', `${path} is set by the practice's machine policy and cannot be changed here`);
    }
    if (patch.activeProfile !== undefined && !this.view.profiles.some((p) => p.name === patch.activeProfile)) throw new ApiError('BAD_ARGUMENT', `no client profile named ${patch.activeProfile}`);
    if ((patch.clientCaptureEnabled || patch.clipboardJournalEnabled) && !this.config.settings.capture) {
      throw new ApiError('SETTING_LOCKED', 'keeping drafts is switched off on this computer (capture: false), so text capture cannot be switched on here');
    }
    this.view = applySettingsPatch(this.view, patch);
    this.persist(patch.clientCaptureEnabled !== undefined || patch.clipboardJournalEnabled !== undefined);
    this.onChange(this.get());
    return this.get();
  }

  private persist(captureChanged: boolean): void {
    if (this.userPath === null) return;
    const existing = readConfigFile(this.userPath) ?? {};
    const settings = {
      ...existing.settings,
      retentionDays: this.view.retentionDays,
      activeProfiles: [this.view.activeProfile],
      notifications: { ...existing.settings?.notifications, enabled: this.view.notificationsEnabled },
      ...(captureChanged || existing.settings?.clientCapture
        ? { clientCapture: { ...existing.settings?.clientCapture, enabled: this.view.clientCapture.enabled, clipboardJournal: this.view.clientCapture.clipboardJournal } }
        : {}),
    };
    mkdirSync(dirname(this.userPath), { recursive: true });
    writeFileAtomicSync(this.userPath, JSON.stringify({ ...existing, settings }, null, 2) + '\n');
  }
}
