import { statfsSync } from 'node:fs';
import { arch, cpus, freemem, hostname, platform, release, totalmem, uptime, version } from 'node:os';
import packageJson from '../../../package.json' with { type: 'json' };
import { maskUserProfile } from '../../common/redact.ts';

/** This Lifeboat's version (package.json), for reports and machine facts. */
export const LIFEBOAT_VERSION: string = (packageJson as { version?: string }).version ?? 'unknown';

/**
 * The facts a supplier's first-line support asks for: OS build, memory, disk, versions.
 * Deliberately absent: the user name (often the clinician's own name; masked as [USER] in the
 * vault path), environment variables, network addresses.
 */
export interface MachineFacts {
  collectedAt: string;
  workstation: string;
  os: { platform: string; release: string; version: string; arch: string; uptimeHours: number };
  cpu: { model: string; logicalCores: number };
  memory: { totalBytes: number; freeBytes: number };
  /** Free space of the drive holding the vault (where a full disk stops notes being saved). */
  disk: { path: string; freeBytes: number; totalBytes: number } | { path: string; error: string };
  lifeboatVersion: string;
  node: string;
  /** Client versions named in the incidents' evidence, newest first. */
  clientVersions: Array<{ app: string; version: string }>;
}

export function collectMachineFacts(options: { vaultDir: string; now: number; clientVersions?: Array<{ app: string; version: string }> }): MachineFacts {
  let disk: MachineFacts['disk'];
  try {
    const s = statfsSync(options.vaultDir);
    disk = { path: maskUserProfile(options.vaultDir), freeBytes: Number(s.bavail) * Number(s.bsize), totalBytes: Number(s.blocks) * Number(s.bsize) };
  } catch (err) {
    disk = { path: maskUserProfile(options.vaultDir), error: maskUserProfile((err as Error).message) };
  }
  const cpuList = cpus();
  return {
    collectedAt: new Date(options.now).toISOString(),
    workstation: hostname(),
    os: { platform: platform(), release: release(), version: version(), arch: arch(), uptimeHours: Math.round((uptime() / 3600) * 10) / 10 },
    cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', logicalCores: cpuList.length },
    memory: { totalBytes: totalmem(), freeBytes: freemem() },
    disk,
    lifeboatVersion: LIFEBOAT_VERSION,
    node: process.version,
    clientVersions: options.clientVersions ?? [],
  };
}
