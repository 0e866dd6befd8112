import { DOTNET_CRASH, GENERIC_CRASH, HANG, JAVA_CRASH, NORMAL_EXIT, SIM_NORMAL_EXIT, SIM_SLOW, SLOW } from './builtInPatterns.ts';
import { ClientProfileSchema, type ClientProfile } from './profiles.ts';

/**
 * Built-in client profiles.
 *
 * Where EMIS Web, SystmOne and Vision write their logs, and some of their executable names, are
 * NOT publicly documented. Every value marked GUESS below is a
 * sensible starting point, not a fact: practice IT confirms or corrects it in the machine policy
 * file, which overrides a built-in profile field by field. Facts we lean on: EMIS Web is a 32-bit
 * .NET Framework 4.8 client (address space capped at 4 GB, so OutOfMemoryException follows memory
 * growth) whose crash dialog reads "has encountered a serious problem and needs to close".
 */

const GB = 1024 ** 3;


const emisWeb = {
  name: 'emis-web',
  displayName: 'EMIS Web',
  processNames: ['EmisWeb.exe'],
  werAppNames: ['EmisWeb.exe'],
  logs: [
    // GUESS: per-user and per-machine EMIS folders; confirm on a practice PC and set by policy.
    { dir: String.raw`%LOCALAPPDATA%\EMIS\EMIS Web\Logs`, glob: ['*.log', '*.txt'] },
    { dir: String.raw`%ProgramData%\EMIS\EMIS Web\Logs`, glob: ['*.log', '*.txt'] },
  ],
  patterns: {
    crash: DOTNET_CRASH,
    hang: HANG,
    slow: SLOW,
    normalExit: NORMAL_EXIT,
  },
  slow: { requestMsThreshold: 2000, uiLatencyMs: 1000, sustainedMs: 10_000 },
  // 32-bit process: warn at 3.2 GB of its 4 GB ceiling, before OutOfMemoryException.
  memory: { warnBytes: Math.round(3.2 * GB) },
};

const systmOne = {
  name: 'systmone',
  displayName: 'SystmOne',
  // GUESS: public practice guides start SystmOne from C:\apps\Tpp\rungenps.bat with a Java -Xmx flag,
  // so on some sites the process is javaw.exe. Matching every javaw.exe would watch unrelated Java
  // programs, so it is left out: add it by policy where SystmOne is the only Java client.
  processNames: ['SystmOne.exe'],
  werAppNames: ['SystmOne.exe'],
  logs: [
    // GUESS: beside the launcher seen in public guides, and a per-user folder.
    { dir: String.raw`C:\apps\Tpp\logs`, glob: ['*.log', '*.txt'] },
    { dir: String.raw`%LOCALAPPDATA%\TPP\SystmOne\Logs`, glob: ['*.log', '*.txt'] },
  ],
  patterns: {
    crash: JAVA_CRASH,
    hang: HANG,
    slow: SLOW,
  },
  slow: { uiLatencyMs: 1000, sustainedMs: 10_000 },
  memory: {},
};

const vision = {
  name: 'vision',
  displayName: 'Vision',
  // GUESS: Cegedim Vision 3 executable names.
  processNames: ['vision.exe', 'Vision3.exe'],
  werAppNames: ['vision.exe', 'Vision3.exe'],
  logs: [
    // GUESS: no public documentation of Vision's client logs.
    { dir: String.raw`%ProgramData%\INPS\Vision\Logs`, glob: ['*.log', '*.txt'] },
    { dir: String.raw`%LOCALAPPDATA%\Cegedim\Vision\Logs`, glob: ['*.log', '*.txt'] },
  ],
  patterns: { crash: DOTNET_CRASH, hang: HANG, slow: SLOW },
  slow: { uiLatencyMs: 1000, sustainedMs: 10_000 },
  memory: {},
};

/** For any other client: IT supplies process names and log folders in a config file. */
const generic = {
  name: 'generic',
  displayName: 'Other clinical system',
  processNames: [],
  werAppNames: [],
  logs: [],
  patterns: {
    crash: GENERIC_CRASH,
    hang: HANG,
    slow: SLOW,
  },
  slow: { uiLatencyMs: 1000, sustainedMs: 10_000 },
  memory: {},
};

/**
 * The simulated client (app/cli/sim/simClient.ts) for tests and `lifeboat demo`: a real process
 * titled lifeboat-sim-client writing EMIS-like logs into %LIFEBOAT_SIM_LOG_DIR% (set by whoever
 * starts it, or overridden in a config file).
 */
const simulated = {
  name: 'simulated',
  displayName: 'Simulated clinical client',
  processNames: ['lifeboat-sim-client'],
  werAppNames: ['lifeboat-sim-client.exe', 'Lifeboat Simulated Client'],
  logs: [{ dir: '%LIFEBOAT_SIM_LOG_DIR%', glob: ['*.log', '*.log.*'] }],
  patterns: {
    crash: DOTNET_CRASH,
    hang: HANG,
    slow: [...SLOW, SIM_SLOW],
    normalExit: [SIM_NORMAL_EXIT],
  },
  slow: { requestMsThreshold: 2000, uiLatencyMs: 1000, sustainedMs: 10_000 },
  memory: {},
  simSocketDir: '%LIFEBOAT_SIM_LOG_DIR%',
};

/** Parsed through the schema so the built-ins obey the same rules (and defaults) as any file. */
export const DEFAULT_PROFILES: readonly ClientProfile[] = [emisWeb, systmOne, vision, generic, simulated].map((profile) => ClientProfileSchema.parse(profile));
