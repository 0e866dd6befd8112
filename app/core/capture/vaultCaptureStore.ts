import type { DraftOrigin, SaveDraftInput } from '../../common/draft.ts';
import type { CaptureAttribution } from './captureAttribution.ts';
import type { CapturedDraftStore } from './captureSampler.ts';

/**
 * What capture needs from the vault: the salt for window titles and a way to keep text. The vault
 * itself in-process; in the running service the watcher's channel to the note side's vault writer
 * (runtime/capturedTextChannel.ts), whose save resolves once the text is durable.
 */
export interface CaptureVault {
  captureSalt(): Buffer;
  save(input: SaveDraftInput, options: { origin: DraftOrigin }): unknown;
}

/**
 * Captured snapshots into the vault: each one is the draft's durable current body, and becomes a
 * revision by the vault's coalescing rules (first text, pauses, every ~200 changed characters);
 * on trouble the revision is asked for explicitly ('pre-crash'). Recording every 1 s snapshot of a
 * long note as its own revision would store the note hundreds of times an hour for no gain.
 */
export class VaultCaptureStore implements CapturedDraftStore {
  private readonly vault: CaptureVault;
  constructor(vault: CaptureVault) {
    this.vault = vault;
  }

  saveCaptured(attribution: CaptureAttribution, profile: string, text: string, explicit: boolean): void | Promise<void> {
    const saved = this.vault.save(
      {
        id: attribution.draftId,
        body: text,
        title: attribution.label,
        // The title hash stands in for the patient: equal hashes, same window title.
        patientRef: `window:${attribution.titleHash}`,
        clientProfile: profile,
        ...(explicit ? { reason: 'pre-crash' as const } : {}),
      },
      { origin: 'capture' },
    );
    if (saved instanceof Promise) return saved.then(() => undefined);
  }
}
