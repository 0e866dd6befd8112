import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { systemClock } from '../../../common/clock.ts';
import { writeFileAtomic } from '../../atomicWrite/atomicWrite.ts';
import type { Diagnostic } from '../../../common/diagnostic.ts';
import { errorCode, logDiagnostic } from './logDiagnostic.ts';

/**
 * Where the tailer got to in each log file, persisted so a restart neither re-reads nor misses
 * lines. Keyed by file identity (not path), so an entry follows a file renamed by rotation.
 *
 * The guarantee is at-least-once at the handoff boundary: an offset is saved only after every
 * record before it has been handed to onRecord (and its promise, if any, settled). A clean
 * stop saves last, so stop + start delivers every record exactly once; after a crash or kill,
 * records handed over since the last save (at most one read pass per file) come again.
 * A record still being collected is never counted as read: its start is the saved offset.
 *
 * Written atomically (temp file, fsync, rename) so a power cut leaves the old or the new state,
 * never half of one. A state file that cannot be parsed is kept aside as `<state>.corrupt`,
 * reported, and replaced by a fresh state: the tailer carries on rather than crash.
 */

const SavedFileSchema = z.object({
  key: z.string().min(1),
  path: z.string().min(1),
  headHash: z.string(),
  headLength: z.number().int().min(0),
  offset: z.number().int().min(0),
});
export type SavedFileOffset = z.infer<typeof SavedFileSchema>;

const StateFileSchema = z.object({
  version: z.literal(1),
  savedAt: z.string(),
  /** Folders scanned before: a file new to us there was created since, so it is read from 0. */
  dirs: z.array(z.string()),
  files: z.array(SavedFileSchema),
});
type StateFile = z.infer<typeof StateFileSchema>;

export class OffsetStore {
  readonly statePath: string;
  private readonly onDiagnostic: (diagnostic: Diagnostic) => void;
  private readonly files = new Map<string, SavedFileOffset>();
  private readonly dirs = new Set<string>();
  private dirty = false;
  private savedAtMs: number | null = null;

  private constructor(statePath: string, onDiagnostic: (diagnostic: Diagnostic) => void) {
    this.statePath = statePath;
    this.onDiagnostic = onDiagnostic;
  }

  /** Loads the state file; a missing one is a fresh start, a corrupt one a fresh start plus a diagnostic. */
  static async open(statePath: string, onDiagnostic: (diagnostic: Diagnostic) => void): Promise<OffsetStore> {
    const store = new OffsetStore(statePath, onDiagnostic);
    let raw: string;
    try {
      raw = await readFile(statePath, 'utf8');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') onDiagnostic(logDiagnostic('state-corrupt', statePath, { osCode: errorCode(error) }));
      return store;
    }
    const parsed = parseState(raw);
    if (!parsed) {
      onDiagnostic(logDiagnostic('state-corrupt', statePath));
      await rename(statePath, `${statePath}.corrupt`).catch(() => undefined);
      return store;
    }
    for (const file of parsed.files) store.files.set(file.key, file);
    for (const dir of parsed.dirs) store.dirs.add(dir);
    const savedAt = Date.parse(parsed.savedAt);
    store.savedAtMs = Number.isNaN(savedAt) ? null : savedAt;
    return store;
  }

  /** Wall-clock time of the save this state was loaded from (null for a fresh state). */
  get lastSavedAt(): number | null {
    return this.savedAtMs;
  }

  entries(): SavedFileOffset[] {
    return [...this.files.values()];
  }

  get(key: string): SavedFileOffset | undefined {
    return this.files.get(key);
  }

  set(entry: SavedFileOffset): void {
    const current = this.files.get(entry.key);
    if (
      current &&
      current.offset === entry.offset &&
      current.path === entry.path &&
      current.headHash === entry.headHash &&
      current.headLength === entry.headLength
    ) {
      return;
    }
    this.files.set(entry.key, { ...entry });
    this.dirty = true;
  }

  delete(key: string): void {
    if (this.files.delete(key)) this.dirty = true;
  }

  hasSeenDir(dir: string): boolean {
    return this.dirs.has(dir);
  }

  markDirSeen(dir: string): void {
    if (this.dirs.has(dir)) return;
    this.dirs.add(dir);
    this.dirty = true;
  }

  /** Writes the state if it changed. Never throws: a failed write is a diagnostic and is retried next time. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const state: StateFile = { version: 1, savedAt: new Date(systemClock.now()).toISOString(), dirs: [...this.dirs], files: this.entries() };
    try {
      await mkdir(dirname(this.statePath), { recursive: true });
      await writeFileAtomic(this.statePath, JSON.stringify(state));
    } catch (error) {
      this.dirty = true;
      this.onDiagnostic(logDiagnostic('state-write-error', this.statePath, { osCode: errorCode(error) }));
    }
  }
}

function parseState(raw: string): StateFile | null {
  try {
    const result = StateFileSchema.safeParse(JSON.parse(raw));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
