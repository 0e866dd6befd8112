import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { demoCommand } from '../../../app/cli/demoCommand.ts';
import { draftsCommand } from '../../../app/cli/draftsCommand.ts';
import { evidenceCommand } from '../../../app/cli/evidenceCommand.ts';
import { practiceCommand } from '../../../app/cli/practiceCommand.ts';
import { reportCommand } from '../../../app/cli/reportCommand.ts';
import { scanCommand } from '../../../app/cli/scanCommand.ts';
import { serveCommand } from '../../../app/cli/serveCommand.ts';
import { watchCommand } from '../../../app/cli/watchCommand.ts';
import { LINUX_POLICY_PATH } from '../../../app/core/config/machinePolicy.ts';

const README = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');

/** Every runnable command with its full name ("drafts save"), from the same factories the CLI program (program.ts) uses. */
function leaves(command: Command, prefix = ''): Array<{ name: string; command: Command }> {
  const name = `${prefix}${command.name()}`;
  if (command.commands.length === 0) return [{ name, command }];
  return command.commands.flatMap((sub) => leaves(sub, `${name} `));
}

/** The machine context the installed CLI gets (its policy's place is fixed: config/machinePolicy.ts). */
const machine = { policy: { path: LINUX_POLICY_PATH, caveat: null } };
const commands = [demoCommand(), watchCommand(machine), scanCommand(machine), serveCommand(machine), reportCommand(), evidenceCommand(), practiceCommand(machine), draftsCommand()].flatMap((c) => leaves(c));

/** The README's row for a command: the table line whose first cell starts with `lifeboat NAME`. */
function readmeRow(name: string): string | undefined {
  return README.split('\n').find((line) => line.startsWith(`| \`lifeboat ${name} `) || line.startsWith(`| \`lifeboat ${name}\``));
}

describe("README's command table tells the truth about the CLI", () => {
  it.each(commands.map((c) => [c.name, c.command] as const))('lifeboat %s: a row, naming every option the command takes', (name, command) => {
    const row = readmeRow(name);
    expect(row, `no row for "lifeboat ${name}" in README's command table`).toBeDefined();
    for (const option of command.options) {
      if (option.long === undefined || option.long === '--help') continue;
      expect(row, `README's row for "lifeboat ${name}" does not name ${option.long}`).toContain(option.long);
    }
  });

  it('names no option a command does not take', () => {
    for (const { name, command } of commands) {
      const known = new Set(command.options.map((o) => o.long));
      const named = [...(readmeRow(name) ?? '').split('|')[1]!.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
      for (const flag of named) expect(known.has(flag), `README's row for "lifeboat ${name}" names ${flag}, which the command does not take`).toBe(true);
    }
  });
});

/** Every LIFEBOAT_* name the code reads from the environment. */
function environmentNames(): Set<string> {
  const root = join(import.meta.dirname, '..', '..', '..');
  const names = new Set<string>();
  for (const folder of ['app', 'bin', 'scripts']) {
    for (const file of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!file.isFile() || !/\.(ts|js|sh)$/.test(file.name)) continue;
      // Reads only (env.X, env['X'], $X / ${X} in shell, %X% in a profile's folder), not a mention in a comment.
      for (const m of readFileSync(join(file.parentPath, file.name), 'utf8').matchAll(/(?:env\.|env\[['"]|\$\{?|%)(LIFEBOAT_[A-Z_]+)/g)) names.add(m[1]!);
    }
  }
  // Not environment variables: a constant bundlers define, the version constant, and the list the
  // Windows process lister hands to its own PowerShell child.
  for (const internal of ['LIFEBOAT_BUNDLE_EXT', 'LIFEBOAT_VERSION', 'LIFEBOAT_PROCESS_NAMES']) names.delete(internal);
  return names;
}

describe("README's environment table", () => {
  it('documents every LIFEBOAT_* variable the code reads, and none it does not', () => {
    const documented = new Set([...README.matchAll(/^\| `(LIFEBOAT_[A-Z_]+)/gm)].map((m) => m[1]!));
    expect([...documented].sort()).toEqual([...environmentNames()].sort());
  });
});
