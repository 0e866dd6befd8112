#!/usr/bin/env node
// `npm run wine -- <lifeboat arguments>`: runs the bundled `lifeboat` CLI under Wine with Windows
// Node 22, as a practice PC would run it, and behaves like the command itself:
//  - standard input, output and error are passed through (through Windows pipes: see stdioRelay.c),
//    and the exit code is the command's (Wine reports the low 8 bits of a Windows exit code);
//  - the current directory is the same folder on Wine's Z: drive, so Linux absolute paths work as
//    arguments (`--vault /tmp/v` is Z:\tmp\v to Windows Node);
//  - WINEPREFIX and DISPLAY are honoured when set, so another program can run in the same Wine
//    session beside it (two prefixes cannot see each other's windows); without WINEPREFIX the
//    project's own prefix (.tools/windows/prefix) is used, without DISPLAY no window can be made.
//    WINEDEBUG defaults to -all.
// The first run provisions (scripts/windows/provision.js) and builds the CLI bundle when it is
// missing or older than the sources; both are cached. `npm run --silent wine -- …` keeps npm's own
// "> lifeboat wine" banner off standard output.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { preparePrefix, provisionWindows, WINE64, wineEnv, windowsPath } from './provision.js';

/** The command line (program and arguments) that runs `lifeboat ARGS` under Wine. */
export async function wineCommand(args, env = process.env) {
  const paths = await provisionWindows({ prefix: !env.WINEPREFIX });
  const prefix = env.WINEPREFIX || paths.prefix;
  // A caller's prefix is left as it is, unless it does not exist yet: then it is made like ours.
  if (env.WINEPREFIX && !existsSync(join(prefix, 'system.reg'))) preparePrefix(prefix, env);
  return {
    file: WINE64,
    args: [paths.stdio, windowsPath(paths.node), windowsPath(paths.cli), ...args],
    env: wineEnv(undefined, { ...env, WINEPREFIX: prefix }),
  };
}

async function main() {
  const command = await wineCommand(process.argv.slice(2));
  const child = spawn(command.file, command.args, { stdio: 'inherit', env: command.env });
  // Ctrl-C or a TERM ends the Windows process too (Windows Node under Wine gets no console event).
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (error) => {
    process.stderr.write(`lifeboat windows: cannot start ${command.file}: ${error.message}\n`);
    process.exitCode = 127;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + 15 : 1);
  });
}

await main();
