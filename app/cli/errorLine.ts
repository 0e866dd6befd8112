import { CommanderError } from 'commander';
import { CliError } from './cliError.ts';

/**
 * Exit codes of the `lifeboat` command (README, "Errors and exit codes"). 75 is sysexits'
 * EX_TEMPFAIL: the practice share is offline, the records wait in the outbox.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, shareOffline: 75 } as const;

export interface ErrorLine {
  /** One line, `<what happened>; <what to do>`, without the "lifeboat: " prefix. */
  message: string;
  exitCode: number;
}

/**
 * Every failure of the command as one line that says what happened and what to do. Lifeboat's
 * own errors already read that way; commander's usage errors and Node's file-system errors
 * (raw "EEXIST: file already exists, mkdir …") are put into the same shape here, in one place.
 */
export function errorLine(err: unknown, command: string | null): ErrorLine {
  if (err instanceof CliError) return { message: firstLine(err.message), exitCode: err.exitCode };
  if (err instanceof CommanderError) return { message: usageLine(err, command), exitCode: EXIT.usage };
  const fsLine = fileSystemLine(err);
  if (fsLine) return { message: fsLine, exitCode: EXIT.failed };
  const message = err instanceof Error ? err.message : String(err);
  if (/database disk image is malformed|file is not a database/i.test(message)) {
    return { message: `the vault file is damaged (${firstLine(message)}); keep the folder as it is and ask your IT lead, who can restore it from a backup`, exitCode: EXIT.failed };
  }
  return { message: firstLine(message), exitCode: EXIT.failed };
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}

/** commander: "error: unknown option '-cough'\n(Did you mean --json?)" → one line with the advice. */
function usageLine(err: CommanderError, command: string | null): string {
  const lines = err.message.split('\n').map((line) => line.trim()).filter(Boolean);
  const what = (lines[0] ?? 'bad arguments').replace(/^error:\s*/i, '');
  const hint = lines.slice(1).find((line) => /did you mean/i.test(line));
  const help = command ? `lifeboat ${command} --help` : 'lifeboat --help';
  if (command === 'drafts search' && err.code === 'commander.unknownOption') {
    return `${what}; to search for text starting with -, put it after --: lifeboat drafts search --vault DIR -- ${/'([^']+)'/.exec(what)?.[1] ?? '-word'}`;
  }
  return `${what}${hint ? ` ${hint.replace(/^\(?(.*?)\)?$/, '($1)').replace('(Did', '(did')}` : ''}; see '${help}'`;
}

const FS_ADVICE: Record<string, (path: string, syscall: string) => string> = {
  ENOENT: (path) => `${path} does not exist; check the path (its parent folder must exist)`,
  EEXIST: (path, syscall) => (syscall === 'mkdir' ? `${path} is a file, not a folder; give a folder path` : `${path} already exists; give a new name`),
  ENOTDIR: (path) => `part of ${path} is a file, not a folder; check the path`,
  EISDIR: (path) => `${path} is a folder; give a file name`,
  EACCES: (path) => `permission denied for ${path}; pick a folder you can write to, or ask your IT lead`,
  EPERM: (path) => `the operating system refused access to ${path}; pick a folder you can write to, or ask your IT lead`,
  ENOSPC: (path) => `the disk holding ${path} is full; free some space and try again`,
  EROFS: (path) => `${path} is on a read-only disk; pick another folder`,
  EBUSY: (path) => `${path} is in use by another program; close it and try again`,
};

function fileSystemLine(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const { code, path, dest, syscall } = err as NodeJS.ErrnoException & { dest?: string };
  if (!code || !FS_ADVICE[code]) return null;
  const target = dest ?? path ?? /'([^']+)'/.exec(err.message)?.[1] ?? 'the file';
  return FS_ADVICE[code](target, syscall ?? '');
}
