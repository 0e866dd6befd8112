import type { Clock } from '../../common/clock.ts';
import type { Signal } from '../../common/signal.ts';
import type { ClientProfile } from '../config/profiles.ts';
import { nameMatches } from '../watch/process/processSnapshot.ts';
import { CaptureSampler, type CaptureOutcome } from './captureSampler.ts';
import type { ClipboardSource, ProbeTarget, ResponsivenessProbe, TextCaptureSource } from './captureSource.ts';
import { ClipboardJournal } from './clipboardJournal.ts';
import { ResponsivenessMonitor, type ProbedClient } from './responsivenessMonitor.ts';
import { VaultCaptureStore, type CaptureVault } from './vaultCaptureStore.ts';

export interface CaptureSources {
  text: TextCaptureSource | null;
  clipboard: ClipboardSource | null;
  probe: ResponsivenessProbe | null;
  /** Why a source is missing, in plain words (shown in Settings and diagnostics). */
  unavailable: string | null;
}

export interface ClientCaptureSettings {
  enabled: boolean;
  clipboardJournal: boolean;
  maxChars: number;
  clipboardMaxChars: number;
}

export interface ClientCaptureOptions {
  vault: CaptureVault;
  clock: Clock;
  profiles: readonly ClientProfile[];
  sources: CaptureSources;
  settings: ClientCaptureSettings;
  /** The client processes running now (the process watcher's view). */
  running: () => readonly ProbeTarget[];
  onSignal: (signal: Signal) => void;
  onDiagnostic: (message: string) => void;
  captureIntervalMs?: number;
  probeIntervalMs?: number;
  clipboardIntervalMs?: number;
}

/** Every way a profile's process name may be reported: "EmisWeb.exe" → emisweb.exe and emisweb. */
function nameForms(names: readonly string[]): string[] {
  return [...new Set(names.flatMap((n) => [n.toLowerCase(), n.toLowerCase().replace(/\.exe$/, ''), n.toLowerCase().endsWith('.exe') ? n.toLowerCase() : `${n.toLowerCase()}.exe`]))];
}

/**
 * Text capture, the clipboard journal and the responsiveness probe for the active profiles,
 * switched on and off as the GP's settings and the practice's policy say. The probe runs whatever
 * the capture settings: it reads no text, only how fast the client's window answers.
 */
export class ClientCapture {
  readonly sampler: CaptureSampler | null;
  private readonly journal: ClipboardJournal | null;
  private readonly monitor: ResponsivenessMonitor | null;
  private readonly options: ClientCaptureOptions;
  private settings: ClientCaptureSettings;
  private started = false;

  constructor(options: ClientCaptureOptions) {
    this.options = options;
    this.settings = options.settings;
    const { sources, profiles } = options;
    const captureProfiles = profiles.filter((p) => p.processNames.length > 0).map((p) => ({ name: p.name, displayName: p.displayName, processNames: nameForms(p.processNames) }));
    this.sampler =
      sources.text === null || captureProfiles.length === 0
        ? null
        : new CaptureSampler({
            source: sources.text,
            store: new VaultCaptureStore(options.vault),
            salt: options.vault.captureSalt(),
            clock: options.clock,
            profiles: captureProfiles,
            maxChars: options.settings.maxChars,
            ...(options.captureIntervalMs ? { intervalMs: options.captureIntervalMs } : {}),
            onDiagnostic: options.onDiagnostic,
          });
    this.journal =
      sources.clipboard === null || this.sampler === null
        ? null
        : new ClipboardJournal({
            source: sources.clipboard,
            vault: options.vault,
            clock: options.clock,
            foreground: () => this.sampler?.foregroundClient() ?? null,
            profileFor: (processName) => captureProfiles.find((p) => p.processNames.includes(processName)) ?? null,
            maxChars: options.settings.clipboardMaxChars,
            ...(options.clipboardIntervalMs ? { intervalMs: options.clipboardIntervalMs } : {}),
            onDiagnostic: options.onDiagnostic,
          });
    this.monitor =
      sources.probe === null
        ? null
        : new ResponsivenessMonitor({
            probe: sources.probe,
            clock: options.clock,
            targets: () => this.probedClients(),
            onSignal: options.onSignal,
            ...(options.probeIntervalMs ? { intervalMs: options.probeIntervalMs } : {}),
            onDiagnostic: options.onDiagnostic,
          });
  }

  private probedClients(): ProbedClient[] {
    return this.options.running().flatMap((target) => {
      const profile = this.options.profiles.find((p) => nameMatches(target.processName, p.processNames));
      return profile ? [{ ...target, profile: profile.name, thresholds: { uiLatencyMs: profile.slow.uiLatencyMs, sustainedMs: profile.slow.sustainedMs } }] : [];
    });
  }

  /** Whether text capture can run here at all (a source exists for this platform). */
  get textCaptureAvailable(): boolean {
    return this.sampler !== null;
  }

  start(): void {
    this.started = true;
    this.monitor?.start();
    this.apply();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.journal?.stop();
    await this.sampler?.stop();
    await this.monitor?.stop();
    this.options.sources.text?.close?.();
    this.options.sources.clipboard?.close?.();
  }

  update(settings: Partial<Pick<ClientCaptureSettings, 'enabled' | 'clipboardJournal'>>): void {
    this.settings = { ...this.settings, ...settings };
    if (this.started) this.apply();
  }

  private apply(): void {
    this.sampler?.setEnabled(this.settings.enabled);
    if (this.settings.enabled) this.sampler?.start();
    else void this.sampler?.stop();
    this.journal?.stop();
    // The journal files copies under the foreground client the sampler saw, so it needs capture on.
    if (this.settings.enabled && this.settings.clipboardJournal) this.journal?.start();
  }

  /** Trouble with the client: keep what its editor holds now. */
  snapshotNow(): Promise<CaptureOutcome | null> {
    if (!this.sampler || !this.settings.enabled) return Promise.resolve(null);
    return this.sampler.snapshotNow();
  }
}
