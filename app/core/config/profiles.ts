import { z } from 'zod';
import { linearPattern, nativePattern, type LinePattern } from '../watch/logs/linePattern.ts';
import { isBuiltInSource } from './builtInPatterns.ts';

/**
 * The shape of a clinical client profile and of Lifeboat's global settings, as zod schemas.
 * Two variants of each: the full one (every field present after defaults) and the override one
 * a config file uses, where everything but a profile's name is optional so that a practice's
 * policy can change one field of a built-in profile without restating the rest.
 */

/**
 * A pattern is a regular expression source, matched case-insensitively; `{ "pattern": "…",
 * "caseSensitive": true }` matches it as written (log levels: "ERROR" is a level, "error" in prose
 * is not). Not ES2025 inline modifier groups: Node 22, which runs Lifeboat on Windows
 * under some deployments, cannot compile them, and RE2 has no lookaround or backreferences.
 */

const ProfileNameSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a profile name is lower-case words joined by dashes, like "emis-web"');

/**
 * A regular expression source string, checked at load the way it will run so a typo, or a pattern
 * that could stall on one long line, fails when the file is read, not at 3 a.m.: built-in sources
 * run on V8 (proven linear by their tests), every other one on re2js (linear time, RE2 syntax).
 */
const PatternSourceSchema = z.string().superRefine((source, ctx) => {
  if (source === '') {
    ctx.addIssue({ code: 'custom', message: 'a pattern cannot be empty (it would match every line)' });
    return;
  }
  if (isBuiltInSource(source)) return;
  try {
    linearPattern(source, true);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
const PatternSchema = z.union([PatternSourceSchema, z.object({ pattern: PatternSourceSchema, caseSensitive: z.boolean().default(false) }).strict()]);
export type PatternSpec = z.infer<typeof PatternSchema>;
const PatternListSchema = z.array(PatternSchema);

export const LOG_ENCODINGS = ['auto', 'utf8', 'utf16le', 'utf16be'] as const;

export const LogSourceSchema = z
  .object({
    /** Folder; may use %ENV% variables (%LOCALAPPDATA%, %ProgramData%) and a leading ~. */
    dir: z.string().min(1, 'a log folder cannot be empty'),
    glob: z.array(z.string().min(1)).min(1).default(['*.log']),
    encoding: z.enum(LOG_ENCODINGS).default('auto'),
  })
  .strict();
export type LogSource = z.infer<typeof LogSourceSchema>;

const patternsShape = {
  crash: PatternListSchema,
  hang: PatternListSchema,
  slow: PatternListSchema,
  /** A line the client writes when the user closes it: the exit that follows is not a crash. */
  normalExit: PatternListSchema,
};
const slowShape = {
  /** A logged request slower than this (ms) is a slow signal. */
  requestMsThreshold: z.number().int().positive(),
  /** UI round trip (ms) above which the window counts as slow. */
  uiLatencyMs: z.number().int().positive(),
  /** How long latency must stay high before it is a slow signal, not a blip. */
  sustainedMs: z.number().int().nonnegative(),
};
const memoryShape = {
  /** Working set (bytes) worth a warning: a 32-bit client dies near 4 GB with OutOfMemoryException. */
  warnBytes: z.number().int().positive(),
};

/**
 * An executable name as a profile names it ("EmisWeb.exe"): letters, digits, space, dot, dash,
 * underscore. It reaches system commands and /proc matching, so nothing that could be a path,
 * a wildcard or a command separator.
 */
export const ProcessNameSchema = z.string().regex(/^[\w .-]{1,64}$/, 'a process name is 1-64 letters, digits, spaces, dots, dashes or underscores (such as EmisWeb.exe)');

export const ClientProfileSchema = z
  .object({
    name: ProfileNameSchema,
    displayName: z.string().min(1),
    /** Executable names, matched case-insensitively, ".exe" optional. Empty: no process watching. */
    processNames: z.array(ProcessNameSchema).default([]),
    /** AppName values in Report.wer / Event Log entries that belong to this client. */
    werAppNames: z.array(z.string().min(1)).default([]),
    logs: z.array(LogSourceSchema).default([]),
    patterns: z
      .object({ crash: patternsShape.crash.default([]), hang: patternsShape.hang.default([]), slow: patternsShape.slow.default([]), normalExit: patternsShape.normalExit.optional() })
      .strict()
      .prefault({}),
    slow: z
      .object({ requestMsThreshold: slowShape.requestMsThreshold.optional(), uiLatencyMs: slowShape.uiLatencyMs.default(1000), sustainedMs: slowShape.sustainedMs.default(10_000) })
      .strict()
      .prefault({}),
    memory: z.object({ warnBytes: memoryShape.warnBytes.optional() }).strict().prefault({}),
    /** Only the simulated client: the folder of the socket that stands in for its window (probe and capture on Linux). */
    simSocketDir: z.string().min(1).optional(),
  })
  .strict();
export type ClientProfile = z.infer<typeof ClientProfileSchema>;

/** A profile as a config file states it: new (then complete after merging) or an override of a known one. */
export const ProfileOverrideSchema = z
  .object({
    name: ProfileNameSchema,
    displayName: z.string().min(1).optional(),
    processNames: z.array(ProcessNameSchema).optional(),
    werAppNames: z.array(z.string().min(1)).optional(),
    logs: z.array(LogSourceSchema).optional(),
    patterns: z.object(patternsShape).partial().strict().optional(),
    slow: z.object(slowShape).partial().strict().optional(),
    memory: z.object(memoryShape).partial().strict().optional(),
    simSocketDir: z.string().min(1).optional(),
  })
  .strict();
export type ProfileOverride = z.infer<typeof ProfileOverrideSchema>;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, 24-hour');

const notificationsShape = {
  enabled: z.boolean(),
  /** Least time between two notifications of the same kind. */
  throttleMs: z.number().int().nonnegative(),
  /** No pop-ups between these times (the tray still shows the state). */
  quietHours: z.object({ start: HHMM, end: HHMM }).strict(),
};

const clientCaptureShape = {
  /** Read the note from the clinical client's own editor while it is in the foreground. */
  enabled: z.boolean(),
  /** Keep text copied from the clinical client (off unless the GP or the practice turns it on). */
  clipboardJournal: z.boolean(),
  /** Characters read from one control at most; a longer text is kept up to this length. */
  maxChars: z.number().int().min(1000).max(10_000_000),
  /** A copy longer than this is not kept by the clipboard journal. */
  clipboardMaxChars: z.number().int().min(100).max(1_000_000),
};

/** Who the reports are for: the practice's name and its NHS ODS code (e.g. F84012), from settings or policy. */
const PracticeIdentitySchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    odsCode: z
      .string()
      .regex(/^[A-Za-z0-9]{3,10}$/, 'an ODS code is 3-10 letters and digits, like F84012')
      .optional(),
  })
  .strict();

const SyslogSettingsSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
    /** PEM file of the CA that signed the server's certificate (default: the system's trusted CAs). */
    caFile: z.string().min(1).optional(),
    /** Plain TCP, unencrypted and unauthenticated: only when the policy says so in these words. */
    insecure: z.literal(true).optional(),
  })
  .strict()
  .refine((s) => !(s.insecure && s.caFile), { message: 'syslog: insecure (plain TCP) and caFile (TLS) contradict each other; keep one' });

export const SettingsSchema = z
  .object({
    /** Which profiles to watch. A practice runs one system; watching the others costs a name match. */
    activeProfiles: z.array(ProfileNameSchema).min(1).default(['emis-web', 'systmone', 'vision']),
    pollIntervalMs: z.number().int().min(250).max(60_000).default(1000),
    retentionDays: z.number().int().min(1).max(365).default(14),
    /** Keep consultation note drafts at all. A practice may switch this off by policy. */
    capture: z.boolean().default(true),
    /** Text capture from the clinical client and the clipboard journal (issue 7). */
    clientCapture: z
      .object({
        enabled: clientCaptureShape.enabled.default(true),
        clipboardJournal: clientCaptureShape.clipboardJournal.default(false),
        maxChars: clientCaptureShape.maxChars.default(1024 * 1024),
        clipboardMaxChars: clientCaptureShape.clipboardMaxChars.default(100_000),
      })
      .strict()
      .prefault({}),
    notifications: z
      .object({ enabled: notificationsShape.enabled.default(true), throttleMs: notificationsShape.throttleMs.default(5 * 60_000), quietHours: notificationsShape.quietHours.optional() })
      .strict()
      .prefault({}),
    /** Practice share (UNC path) for the practice-wide view. */
    sharePath: z.string().min(1).optional(),
    /** Named in the title of reports and evidence packs. */
    practice: PracticeIdentitySchema.optional(),
    /** Signs and checks every practice share file (HMAC-SHA256); 64 hex characters, the same on every PC. Policy only in practice. */
    practiceKey: z.string().regex(/^[0-9a-fA-F]{64}$/, 'practiceKey must be 256 bits written as 64 hex characters').optional(),
    /** Extra WER store roots beyond the per-user and per-machine defaults. */
    werRoots: z.array(z.string().min(1)).optional(),
    /** Desktops without an OS keystore (Linux with no keyring): allow a 0600 key file. Policy only in practice. */
    allowKeyFileWithoutKeystore: z.boolean().default(false),
    /** Forward incidents to the trust's or federation's SIEM as RFC 5424 syslog over TCP (TLS with caFile). */
    syslog: SyslogSettingsSchema.optional(),
  })
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsOverrideSchema = z
  .object({
    activeProfiles: z.array(ProfileNameSchema).min(1),
    pollIntervalMs: z.number().int().min(250).max(60_000),
    retentionDays: z.number().int().min(1).max(365),
    capture: z.boolean(),
    clientCapture: z.object(clientCaptureShape).partial().strict(),
    notifications: z.object(notificationsShape).partial().strict(),
    sharePath: z.string().min(1),
    practice: PracticeIdentitySchema,
    practiceKey: z.string().regex(/^[0-9a-fA-F]{64}$/, 'practiceKey must be 256 bits written as 64 hex characters'),
    werRoots: z.array(z.string().min(1)),
    allowKeyFileWithoutKeystore: z.boolean(),
    syslog: SyslogSettingsSchema,
  })
  .partial()
  .strict();
export type SettingsOverride = z.infer<typeof SettingsOverrideSchema>;

/** One config file: the user's (settings they chose) or the machine policy (settings IT enforces). */
export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional(),
    settings: SettingsOverrideSchema.optional(),
    profiles: z.array(ProfileOverrideSchema).optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.profiles?.forEach((profile, index) => {
      if (seen.has(profile.name)) ctx.addIssue({ code: 'custom', path: ['profiles', index, 'name'], message: `profile '${profile.name}' appears twice in this file` });
      seen.add(profile.name);
    });
  });
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface CompiledPatterns {
  crash: LinePattern[];
  hang: LinePattern[];
  slow: LinePattern[];
  normalExit: LinePattern[];
}

/** One pattern, case-insensitive unless it says otherwise: on V8 when built in, else on re2js (linePattern.ts). */
export function compilePattern(spec: PatternSpec): LinePattern {
  const source = typeof spec === 'string' ? spec : spec.pattern;
  const ignoreCase = typeof spec === 'string' || !spec.caseSensitive;
  return isBuiltInSource(source) ? nativePattern(source, ignoreCase) : linearPattern(source, ignoreCase);
}

/** The profile's patterns (validated at load, so this cannot throw for a loaded profile). */
export function compilePatterns(profile: ClientProfile): CompiledPatterns {
  const compile = (specs: readonly PatternSpec[] | undefined): LinePattern[] => (specs ?? []).map(compilePattern);
  return {
    crash: compile(profile.patterns.crash),
    hang: compile(profile.patterns.hang),
    slow: compile(profile.patterns.slow),
    normalExit: compile(profile.patterns.normalExit),
  };
}
