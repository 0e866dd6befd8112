import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../atomicWrite/atomicWrite.ts';
import type { ConfigLayerFile } from './configFile.ts';
import { ConfigFileSchema } from './profiles.ts';

/** A copy of the last machine policy that loaded, so a policy broken later does not mean "no policy". */
export interface LastGoodPolicy {
  savedAt: string;
  layers: ConfigLayerFile[];
}

const LastGoodSchema = z
  .object({
    version: z.literal(1),
    savedAt: z.string().datetime(),
    layers: z.array(z.object({ layer: z.literal('policy'), path: z.string().max(1000), file: ConfigFileSchema }).strict()).max(20),
  })
  .strict();

/** Larger than any policy Lifeboat would keep: refuse rather than read it. */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * Where the last good policy is kept: a file in the app's state folder, written atomically after
 * every load whose policy was good and different from the copy. It is the user's folder, so a user
 * could edit the copy: it is only ever used while the real policy cannot be read, and a policy
 * that reads again replaces it at once (the residual risk is in README, "Configuration").
 */
export class LastGoodPolicyFile {
  readonly path: string;
  private lastWritten: string | null = null;

  constructor(path: string) {
    this.path = path;
  }

  /** The copy, or null when there is none or it cannot be used (then the most restrictive settings apply). */
  read(): LastGoodPolicy | null {
    let text: string;
    try {
      const bytes = readFileSync(this.path);
      if (bytes.length > MAX_BYTES) return null;
      text = bytes.toString('utf8');
    } catch {
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return null;
    }
    const parsed = LastGoodSchema.safeParse(json);
    if (!parsed.success) return null;
    this.lastWritten = text;
    return { savedAt: parsed.data.savedAt, layers: parsed.data.layers };
  }

  /** Keeps these layers as the last good policy; writes only when they differ from the copy on disk. */
  save(layers: readonly ConfigLayerFile[], now: number): void {
    const policy = layers.filter((l) => l.layer === 'policy').map((l) => ({ layer: 'policy' as const, path: l.path, file: l.file }));
    const current = this.lastWritten ?? this.readText();
    if (current !== null && sameLayers(current, policy)) return;
    const text = JSON.stringify({ version: 1, savedAt: new Date(now).toISOString(), layers: policy }, null, 2) + '\n';
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomicSync(this.path, text);
    this.lastWritten = text;
  }

  private readText(): string | null {
    try {
      return readFileSync(this.path, 'utf8');
    } catch {
      return null;
    }
  }
}

function sameLayers(text: string, layers: readonly unknown[]): boolean {
  try {
    const saved = JSON.parse(text) as { layers?: unknown };
    return JSON.stringify(saved.layers) === JSON.stringify(layers);
  } catch {
    return false;
  }
}
