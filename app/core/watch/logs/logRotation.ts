import type { BigIntStats } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { HEAD_FINGERPRINT_BYTES, hashHead, identityKey, readHead, readIdentity, type FileIdentity } from './fileIdentity.ts';

/**
 * Where a followed log went, and which files in its folder are rotations of it: renames (the
 * file's identity under another name), copies (copytruncate: same head, other identity) and
 * rotated files the tailer never saw (app.log.1 created and rolled away between two checks).
 * The tailer (logTailer.ts) decides what to read; this file only finds files, by identity and
 * head fingerprint (fileIdentity.ts), never by name alone.
 */

/** A file as one folder listing saw it. */
export interface FoundFile {
  path: string;
  key: string;
  stats: BigIntStats;
}

/** One folder listing's stats, each name statted once however often it is asked for. */
export type FindFile = (name: string) => Promise<FoundFile | null>;

/** File times come from a coarse kernel clock that can trail the system clock by a tick. */
const MTIME_SLACK_MS = 50;
/** Names remembered per folder; a folder with more distinct names starts over. */
const MAX_REMEMBERED_NAMES = 10_000;

export async function statFile(path: string): Promise<FoundFile | null> {
  try {
    const stats = await stat(path, { bigint: true });
    return stats.isFile() ? { path, key: identityKey(stats, path), stats } : null;
  } catch {
    return null;
  }
}

/** A name that starts with a name the globs match: app.log.1 for app.log, EmisWeb.log.2026 for *.log. Answers are remembered. */
export class RotatedNames {
  private readonly matches: (name: string) => boolean;
  private readonly known = new Map<string, boolean>();

  constructor(matches: (name: string) => boolean) {
    this.matches = matches;
  }

  isRotated(name: string): boolean {
    let rotated = this.known.get(name);
    if (rotated === undefined) {
      rotated = false;
      for (let length = name.length - 1; length > 0 && !rotated; length--) rotated = this.matches(name.slice(0, length));
      if (this.known.size > MAX_REMEMBERED_NAMES) this.known.clear();
      this.known.set(name, rotated);
    }
    return rotated;
  }
}

/**
 * Rotated files (names outside the globs that start with one inside) not followed yet and written
 * since `writtenSince` (system clock): content we never read, oldest first.
 */
export async function rotatedUnseen(options: { names: readonly string[]; matches: (name: string) => boolean; rotated: RotatedNames; find: FindFile; followed: (key: string) => boolean; writtenSince: number }): Promise<FoundFile[]> {
  const unseen: FoundFile[] = [];
  for (const name of options.names) {
    if (options.matches(name) || !options.rotated.isRotated(name)) continue;
    const info = await options.find(name);
    if (info && !options.followed(info.key) && Number(info.stats.mtimeMs) >= options.writtenSince - MTIME_SLACK_MS) unseen.push(info);
  }
  return unseen.sort((a, b) => Number(a.stats.mtimeMs - b.stats.mtimeMs));
}

/**
 * The path a file with this identity has now, renamed within its folder, matching the globs or
 * not; null when it is gone. The listing may predate the rename, so before calling the file gone
 * the folder is listed again.
 */
export async function locateRenamed(key: string, dir: string, names: readonly string[], matching: readonly string[], find: FindFile): Promise<string | null> {
  const others = names.filter((name) => !matching.includes(name));
  for (const name of [...matching, ...others]) {
    const info = await find(name);
    if (info?.key === key) return info.path;
  }
  let fresh: string[];
  try {
    fresh = await readdir(dir);
  } catch {
    return null;
  }
  for (const name of fresh) {
    const info = await statFile(join(dir, name));
    if (info?.key === key) return info.path;
  }
  return null;
}

/** Whether the opened file begins as one of these followed files does (a copy of it: copytruncate's first step). */
export async function isCopyOfAny(handle: FileHandle, followed: readonly FileIdentity[]): Promise<boolean> {
  const withHeads = followed.filter((identity) => identity.headLength > 0);
  if (withHeads.length === 0) return false;
  const head = await readHead(handle, HEAD_FINGERPRINT_BYTES);
  return withHeads.some((identity) => head.length >= identity.headLength && hashHead(head.subarray(0, identity.headLength)) === identity.headHash);
}

/**
 * copytruncate copies the log, then truncates it: lines written after our last read are only in
 * the copy. Finds that copy (same head, other identity, at least `readOffset` long) anywhere in
 * the folder, with its identity and size.
 */
export async function findCopy(original: { path: string; dir: string; identity: FileIdentity; readOffset: number }): Promise<{ path: string; identity: FileIdentity; size: number } | null> {
  let names: string[];
  try {
    names = await readdir(original.dir);
  } catch {
    return null;
  }
  for (const name of names) {
    const path = join(original.dir, name);
    if (path === original.path) continue;
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch {
      continue;
    }
    try {
      const stats = await handle.stat({ bigint: true });
      const key = identityKey(stats, path);
      if (!stats.isFile() || key === original.identity.key || Number(stats.size) < original.readOffset) continue;
      const head = await readHead(handle, original.identity.headLength);
      if (head.length !== original.identity.headLength || hashHead(head) !== original.identity.headHash) continue;
      return { path, identity: await readIdentity(handle, stats, path), size: Number(stats.size) };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  return null;
}
