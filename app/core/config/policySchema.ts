import { z } from 'zod';
import { SettingsOverrideSchema } from './profiles.ts';

/**
 * The one policy schema: every setting a practice may enforce, derived from the settings schema
 * (SettingsOverrideSchema, the same one policy.json is checked against) plus the client profiles.
 * From it come the registry names Lifeboat reads (HKLM/HKCU\SOFTWARE\Policies\Lifeboat) and the
 * ADMX/ADML templates IT imports into Group Policy or Intune (scripts/generate-admx.ts → deploy/).
 *
 * Registry layout, as Chrome and Edge lay theirs out: a top-level setting is a value of the
 * Lifeboat key ("Capture", "RetentionDays"); a group is a subkey ("ClientCapture\Enabled"); an object
 * inside a group is a prefix of its value names ("Notifications\QuietHoursStart"). Lists are
 * REG_MULTI_SZ; the client profiles are one JSON value ("Profiles"), checked like policy.json's.
 */

export const POLICY_KEY = 'SOFTWARE\\Policies\\Lifeboat';

export type PolicyKind = 'boolean' | 'decimal' | 'text' | 'list' | 'json';

export interface PolicyDefinition {
  /** ADMX policy name: the registry path without separators, "ClientCaptureEnabled". */
  id: string;
  /** Where it lands in a config file: ["settings", "clientCapture", "enabled"], or ["profiles"]. */
  path: readonly string[];
  /** Subkey below POLICY_KEY ("" for the key itself). */
  subkey: string;
  valueName: string;
  kind: PolicyKind;
  min?: number;
  max?: number;
  /** Machine only, or also per user (HKCU, lower precedence than HKLM). */
  scope: 'machine' | 'both';
  /** A switch that can only be turned on (the schema's `true` literal): disabled means not set. */
  onlyTrue?: boolean;
  displayName: string;
  explain: string;
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * What each policy means, in the words IT reads in the Group Policy editor (en-GB). Keyed by dotted
 * settings path; a setting without text here fails the tests, so a new setting cannot ship unexplained.
 */
export const POLICY_TEXT: Record<string, { name: string; explain: string; scope?: 'both' }> = {
  activeProfiles: { name: 'Clinical systems to watch', explain: 'Profile names of the clinical systems Lifeboat watches on this computer, one per line (for example emis-web, systmone, vision, or a profile added by the Client profiles policy).' },
  pollIntervalMs: { name: 'Process check interval (ms)', explain: 'How often Lifeboat looks for the clinical system starting (milliseconds). Exits are reported at once whatever this is.' },
  retentionDays: { name: 'Keep notes for (days)', explain: 'Unpinned note drafts not touched for this many days are deleted for good.', scope: 'both' },
  capture: { name: 'Keep consultation note drafts', explain: 'Disabled: Lifeboat keeps no note drafts at all on this computer (text capture and the clipboard journal are off too). Watching the clinical system still works.' },
  'clientCapture.enabled': { name: 'Read the note from the clinical system', explain: "Text capture: Lifeboat reads the text of the clinical system's focused note box (never password boxes) into its encrypted vault, so a note typed there survives a crash.", scope: 'both' },
  'clientCapture.clipboardJournal': { name: 'Keep text copied from the clinical system', explain: 'The clipboard journal: text copied from the clinical system (never from password managers or other programs) is kept as a draft for the retention period.', scope: 'both' },
  'clientCapture.maxChars': { name: 'Longest note read (characters)', explain: 'Text capture reads at most this many characters from one box.' },
  'clientCapture.clipboardMaxChars': { name: 'Longest copy kept (characters)', explain: 'The clipboard journal does not keep a copy longer than this.' },
  'notifications.enabled': { name: 'Notify the GP', explain: 'Disabled: no pop-up notifications (the tray icon still shows the state of the clinical system).', scope: 'both' },
  'notifications.throttleMs': { name: 'Least time between notifications (ms)', explain: 'Two notifications of the same kind are at least this far apart (milliseconds). A new crash is always told.', scope: 'both' },
  'notifications.quietHours.start': { name: 'Quiet hours: from (HH:MM)', explain: 'No pop-ups from this time of day (24-hour HH:MM); set with Quiet hours: until.', scope: 'both' },
  'notifications.quietHours.end': { name: 'Quiet hours: until (HH:MM)', explain: 'No pop-ups until this time of day (24-hour HH:MM); set with Quiet hours: from.', scope: 'both' },
  'practice.name': { name: 'Practice name', explain: 'The practice named in the title of reports and evidence packs.' },
  'practice.odsCode': { name: 'Practice ODS code', explain: "The practice's NHS ODS code (for example F84012), named in reports and evidence packs." },
  practiceKey: { name: 'Practice share key', explain: 'Signs and checks every practice share file (HMAC-SHA256): 256 bits as 64 hex characters, the same on every computer of the practice. Set it by policy only.' },
  sharePath: { name: 'Practice share', explain: "A shared folder (UNC path) where each computer publishes its incidents for the practice-wide view. Never holds note text." },
  werRoots: { name: 'Extra Windows Error Reporting folders', explain: 'Folders to read crash reports from besides the per-user and per-machine WER stores, one per line.' },
  allowKeyFileWithoutKeystore: { name: 'Allow a key file without an OS keystore', explain: 'Only for computers without a keystore: lets Lifeboat keep its vault key in a file readable by the user alone. Windows always has DPAPI: leave this not configured.' },
  'syslog.host': { name: 'Syslog server', explain: "Forward incidents as RFC 5424 syslog to this server (the trust's SIEM). Set with Syslog port." },
  'syslog.port': { name: 'Syslog port', explain: 'TCP port of the syslog server (6514 for TLS).' },
  'syslog.insecure': { name: 'Syslog over plain TCP', explain: "Enabled: incidents go to the syslog server unencrypted, over plain TCP, for a collector on the practice's own network. Not together with a CA certificate file." },
  'syslog.caFile': { name: 'Syslog CA certificate file', explain: "PEM file of the CA that signed the syslog server's certificate: set means TLS." },
  profiles: { name: 'Client profiles (JSON)', explain: 'Client profiles as in policy.json: a JSON list of profiles that change a built-in one field by field or add one, for example [{"name":"emis-web","logs":[{"dir":"D:\\\\EMIS\\\\Logs"}]}].' },
};

interface JsonSchema {
  type?: string;
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
}

/** The JSON Schema integer bounds that mean "no limit" (safe integers) are left out of the template. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

function leaves(schema: JsonSchema, path: string[]): Array<{ path: string[]; schema: JsonSchema }> {
  if (schema.type === 'object' && schema.properties) return Object.entries(schema.properties).flatMap(([name, child]) => leaves(child, [...path, name]));
  return [{ path, schema }];
}

function kindOf(schema: JsonSchema, path: readonly string[]): PolicyKind {
  switch (schema.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return 'decimal';
    case 'string':
      return 'text';
    case 'array':
      if (schema.items?.type === 'string') return 'list';
  }
  throw new Error(`no registry form for settings.${path.join('.')} (${schema.type ?? 'unknown type'})`);
}

let cached: PolicyDefinition[] | null = null;

/** Every policy, settings first (schema order), then the profiles. */
export function policyDefinitions(): PolicyDefinition[] {
  if (cached) return cached;
  const schema = z.toJSONSchema(SettingsOverrideSchema) as JsonSchema;
  const settings = leaves(schema, []).map(({ path, schema: leaf }): PolicyDefinition => {
    const dotted = path.join('.');
    const text = POLICY_TEXT[dotted];
    if (!text) throw new Error(`settings.${dotted} has no policy text in POLICY_TEXT`);
    const [group, ...rest] = path;
    const subkey = rest.length === 0 ? '' : pascal(group!);
    const valueName = rest.length === 0 ? pascal(group!) : rest.map(pascal).join('');
    return {
      id: `${subkey}${valueName}`,
      path: ['settings', ...path],
      subkey,
      valueName,
      kind: kindOf(leaf, path),
      ...(leaf.minimum !== undefined ? { min: leaf.minimum } : {}),
      ...(leaf.maximum !== undefined && leaf.maximum < NO_LIMIT ? { max: leaf.maximum } : {}),
      ...(leaf.const === true ? { onlyTrue: true } : {}),
      scope: text.scope ?? 'machine',
      displayName: text.name,
      explain: text.explain,
    };
  });
  const profiles = POLICY_TEXT.profiles!;
  cached = [...settings, { id: 'Profiles', path: ['profiles'], subkey: '', valueName: 'Profiles', kind: 'json', scope: 'machine', displayName: profiles.name, explain: profiles.explain }];
  return cached;
}
