/**
 * Redaction of patient-identifying data from text that leaves the clinical client's logs:
 * incident evidence, reports, evidence packs. Every rule is anchored so that the things a
 * crash report is made of (versions 9.2.1.4410, exception codes e0434352, hex addresses, GUIDs,
 * ISO timestamps, file paths) survive, and only data shaped like a person's details goes.
 * When in doubt a rule errs towards removing: a lost word in evidence costs less than a leak.
 */

export type RedactionKind = 'nhs' | 'postcode' | 'phone' | 'email' | 'dob' | 'name' | 'user';

export interface RedactionResult {
  text: string;
  counts: Record<RedactionKind, number>;
}

export const PLACEHOLDERS: Record<RedactionKind, string> = {
  nhs: '[NHS-NUMBER]',
  postcode: '[POSTCODE]',
  phone: '[PHONE]',
  email: '[EMAIL]',
  dob: '[DOB]',
  name: '[NAME]',
  user: '[USER]',
};

/** NHS number check: 10 digits, weights 10..2 on the first nine, check = 11 - sum mod 11 (11 → 0, 10 → invalid). */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits.charCodeAt(9) - 48;
}

// Not part of a longer token: letters, digits, or the joiners of versions, paths, GUIDs and hex.
const NOT_AFTER_TOKEN = String.raw`(?<![\w./\\+-])`;
const NOT_BEFORE_TOKEN = String.raw`(?![\w\\/]|[.:-]\w)`;

/**
 * 3-3-4 digits, each gap an optional space, dash, dot, slash or underscore, wherever they stand:
 * in a sentence, a file name (C:\Letters\9434765919.docx, patient_9434765919) or a URL. Only
 * mod-11-valid numbers are replaced. Not next to another digit or a hex letter, so longer
 * numbers, hex addresses and GUID parts are left whole.
 */
const NHS = /(?<![\dA-Fa-f])(?<!\d[./_-])(\d{3})[ ./_-]?(\d{3})[ ./_-]?(\d{4})(?![\dA-Fa-f])(?![./_-]\d)/g;

// UK numbers are 0 + 10 digits; after the area digit (1, 2, 3 or 7) the usual groupings.
const UK_SUBSCRIBER = String.raw`[1237](?:\d{9}|\d{3}[ -]?\d{6}|\d{2}[ -]?\d{3}[ -]?\d{4}|\d[ -]?\d{4}[ -]?\d{4}|\d{3}[ -]?\d{3}[ -]?\d{3})`;
const PHONE = new RegExp(String.raw`${NOT_AFTER_TOKEN}(?:\+44[ -]?(?:\(0\)[ -]?)?|0)${UK_SUBSCRIBER}${NOT_BEFORE_TOKEN}`, 'g');

// "c0000005@clr.dll" (a WER fault signature) is not an address: file extensions are not top-level domains.
// The top-level domain must end the address: without `(?!\.[A-Za-z0-9])` a module name such as
// c0000409@microsoft.ui.input.dll matched as far as ".input", and the evidence read "[EMAIL].dll".
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.(?!(?:dll|exe|sys|drv|ocx|pdb|log|txt|tmp|dat|json|xml|config|wer)\b)[A-Za-z]{2,24}\b(?!\.[A-Za-z0-9])/gi;

/**
 * UK postcodes, outward + inward code, with the Royal Mail letter rules (no Q/V/X first, no I/J/Z
 * second, inward letters never C I K M O V) so hex and words like "x86 4gb" are left alone.
 */
const POSTCODE = new RegExp(
  String.raw`(?<![A-Za-z0-9.-])[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d(?:\d|[ABEHMNPRV-Y])?|\d[A-HJKPS-UW])[ _]?\d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9]|-\w)`,
  'gi',
);

const MONTH = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const DATE = String.raw`(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|\d{1,2}(?:st|nd|rd|th)?[ -]${MONTH},?[ -]\d{2,4}|${MONTH} \d{1,2}(?:st|nd|rd|th)?,? \d{4})`;
/** Only a date next to a birth label is a date of birth; other dates are when things happened. */
const DOB = new RegExp(String.raw`(\b(?:d\.o\.b\.?|dob|born(?: on)?|date of birth|birth ?date)\s*[:=]?\s*)${DATE}(?![\w/.-]\d)`, 'gi');

// A name word: letters with apostrophes or hyphens (O'Neil, Smith-Jones), never the start of a
// dotted identifier or path (EmisWeb.exe, Shell\Logs), never a label that follows a name.
const STOP = String.raw`(?:nhs|dob|d\.o\.b|born|age|sex|gender|id|mrn|address|postcode|tel|phone|mobile|email|record|opened|closed|and|at|on|in|with|for|was|is)\b`;
const WORD = String.raw`\p{L}[\p{L}'’-]*(?![\p{L}\d'’-]|[.\\/]\w)`;
const NAME_WORDS = String.raw`(?!${STOP})${WORD}(?:(?: |, ?)(?!${STOP})${WORD}){0,3}`;
/** "Patient: Jane Smith", "Name=John O'Neil", "patient name: …": a label then : or =. */
const NAME_LABELLED = new RegExp(
  String.raw`(\b(?:patient(?:[ _-]?name)?|pt[ _-]?name|(?<![\p{L}][ _-]?)name|surname|forename|first[ _-]?name|last[ _-]?name|full[ _-]?name|given[ _-]?names?)\s*[:=]\s*)${NAME_WORDS}`,
  'giu',
);
/** Letters as [xX] classes: a case-insensitive part of a case-sensitive expression, without the ES2025 inline i-modifier group, which Node 22 lacks. */
function anyCase(source: string): string {
  return source.replace(/\\.|[a-z]/g, (c) => (c.length === 1 ? `[${c}${c.toUpperCase()}]` : c));
}
// "for patient Jane Example": no separator, so ask for two or more capitalised words.
const CAP_WORD = String.raw`(?!${anyCase(STOP)})\p{Lu}[\p{L}'’-]*(?![\p{L}\d'’-]|[.\\/]\w)`;
const NAME_AFTER_PATIENT = new RegExp(String.raw`(\b[Pp]atient )${CAP_WORD}(?: ${CAP_WORD}){1,3}`, 'gu');

/** "SMITH, John (Mr)": how clinical systems title a patient's window. */
const NAME_TITLE_STYLE = /\b\p{Lu}{2,}(?:[-'’]\p{Lu}+)*, ?\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+){0,2} ?\((?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Prof|Rev)\.?\)/gu;
/** "Mrs Jane Smith", "Dr. A Patel": an honorific then one to three capitalised words. */
const NAME_HONORIFIC = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Prof)\.? (?:\p{Lu}\.? )?\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+){0,2}(?![\p{L}\d]|[.\\/]\w)/gu;
/** HL7 v2 person names: SMITH^JOHN^A^^MR (family^given^middle^suffix^prefix). */
const NAME_HL7 = /(?<![\w^])\p{Lu}[\p{L}'’-]+\^\p{Lu}[\p{L}'’-]*(?:\^[\p{L}'’. -]*){0,4}(?![\w^])/gu;

/**
 * Labelled fields in structured text: JSON ("patientName":"Jane Smith"), XML
 * (<PatientName>Jane Smith</PatientName>, name="…" attributes) and key=value logs. The label
 * decides the placeholder; the value goes whatever its shape.
 */
const FIELD_LABELS: Array<[RedactionKind, string]> = [
  ['nhs', String.raw`nhs[ _-]?(?:no|num(?:ber)?)?|chi[ _-]?(?:no|number)?`],
  ['dob', String.raw`dob|date[ _-]?of[ _-]?birth|birth[ _-]?date|birthdate`],
  ['name', String.raw`(?:patient|pt|given|family|first|last|full|sur|fore|middle)[ _-]?names?|surname|forename|patient|name`],
  ['postcode', String.raw`post[ _-]?code|postal[ _-]?code|zip`],
  ['phone', String.raw`phone|telephone|tel|mobile`],
  ['email', String.raw`e-?mail`],
];
const labelOf = (label: string): RedactionKind | null => {
  for (const [kind, pattern] of FIELD_LABELS) if (new RegExp(`^(?:${pattern})$`, 'i').test(label.replace(/^.*[.:]/, ''))) return kind;
  return null;
};
const JSON_FIELD = /("([A-Za-z][\w .:-]{0,40})"\s*:\s*)"((?:[^"\\\n]|\\.){1,500})"/g;
const XML_ELEMENT = /(<([A-Za-z][\w.:-]{0,40})(?:\s[^<>]{0,200})?>)([^<>]{1,500})(<\/\2\s*>)/g;
const XML_ATTRIBUTE = /(\s([A-Za-z][\w.:-]{0,40})\s*=\s*)(["'])((?:(?!\3)[^<>\n]){1,500})\3/g;

/**
 * HL7 v2 segments that carry a person: PID (patient) and NK1 (next of kin). Fields by number
 * (PID-3 identifiers, 5 name, 6 mother's maiden name, 7 date of birth, 11 address, 13-14
 * phones, 19 SSN/NHS; NK1-2 name, 4 address, 5-6 phones).
 */
const HL7_PERSON_FIELDS: Record<string, Partial<Record<number, RedactionKind>>> = {
  PID: { 2: 'nhs', 3: 'nhs', 4: 'nhs', 5: 'name', 6: 'name', 7: 'dob', 9: 'name', 11: 'postcode', 13: 'phone', 14: 'phone', 19: 'nhs' },
  NK1: { 2: 'name', 4: 'postcode', 5: 'phone', 6: 'phone' },
};
const HL7_SEGMENT = /(?<![A-Za-z0-9])(PID|NK1)\|[^\r\n]*/g;

/** Profile folders carry the Windows (or POSIX) user name, often the clinician's own name. */
const USER_PROFILE_PATH = /(\b[A-Za-z]:[\\/]+(?:Users|Documents and Settings)[\\/]+|(?<![\w.])\/(?:home|Users)\/)(?!\[USER\])([^\\/:*?"<>|\r\n]{1,64})(?=[\\/]|$|[\s"',;)\]])/gi;
const NOT_A_USER = /^(?:public|default|default user|all users|shared)$/i;

const HAS_DIGIT = /\d/;
const HAS_LABEL = /patient|name|dob|d\.o\.b|born|birth/i;
const MAY_HAVE_PROFILE = /[\\/](?:users|home)[\\/]|documents and settings/i;
const HAS_TITLE_HONORIFIC = /\((?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Prof|Rev)\.?\)/;
const HAS_HONORIFIC = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Prof)\b/;
const NON_ASCII = /[^\t\n\r\x20-\x7e]/;

/**
 * Replaces NHS numbers (valid ones only), UK postcodes, UK phone numbers, emails, labelled dates
 * of birth and labelled patient names with typed placeholders, counting each kind.
 * Idempotent: placeholders match none of the rules. Cheap when a line has nothing to find.
 */
export function redact(text: string): RedactionResult {
  const counts: Record<RedactionKind, number> = { nhs: 0, postcode: 0, phone: 0, email: 0, dob: 0, name: 0, user: 0 };
  // Full-width digits, non-breaking and narrow spaces, ligatures: one form before any rule looks.
  let out = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  const replace = (pattern: RegExp, kind: RedactionKind, keepPrefix = false): void => {
    out = out.replace(pattern, (match: string, prefix: unknown) => {
      counts[kind]++;
      return (keepPrefix ? String(prefix) : '') + PLACEHOLDERS[kind];
    });
  };
  const placeholder = (kind: RedactionKind): string => {
    counts[kind]++;
    return PLACEHOLDERS[kind];
  };
  if (out.includes('@')) replace(EMAIL, 'email');
  if (MAY_HAVE_PROFILE.test(out)) {
    const masked = maskUserProfile(out);
    counts.user += masked === out ? 0 : masked.split(PLACEHOLDERS.user).length - out.split(PLACEHOLDERS.user).length;
    out = masked;
  }
  if (out.includes('|')) {
    out = out.replace(HL7_SEGMENT, (segment: string, type: string) => {
      const fields = segment.split('|');
      const rules = HL7_PERSON_FIELDS[type]!;
      return fields.map((field, i) => (rules[i] && field !== '' && !/^\[[A-Z-]+\]$/.test(field) ? placeholder(rules[i]!) : field)).join('|');
    });
  }
  {
    const field = (whole: string, prefix: string, label: string, value: string, suffix = ''): string => {
      const kind = labelOf(label);
      if (kind === null || /^\[[A-Z-]+\]$/.test(value) || value.trim() === '') return whole;
      return prefix + placeholder(kind) + suffix;
    };
    // Each only where its punctuation is: most log lines have none of it.
    if (out.includes('":')) out = out.replace(JSON_FIELD, (whole: string, prefix: string, label: string, value: string) => field(whole, `${prefix}"`, label, value, '"'));
    if (out.includes('</')) out = out.replace(XML_ELEMENT, (whole: string, open: string, label: string, value: string, close: string) => field(whole, open, label, value, close));
    if (out.includes('="') || out.includes("='")) out = out.replace(XML_ATTRIBUTE, (whole: string, prefix: string, label: string, quote: string, value: string) => field(whole, prefix + quote, label, value, quote));
  }
  const hasLabel = HAS_LABEL.test(out);
  if (HAS_DIGIT.test(out)) {
    if (hasLabel) replace(DOB, 'dob', true);
    out = out.replace(NHS, (match: string, a: string, b: string, c: string) => {
      if (!isValidNhsNumber(a + b + c)) return match;
      counts.nhs++;
      return PLACEHOLDERS.nhs;
    });
    replace(PHONE, 'phone');
    replace(POSTCODE, 'postcode');
  }
  if (hasLabel) {
    replace(NAME_LABELLED, 'name', true);
    replace(NAME_AFTER_PATIENT, 'name', true);
  }
  if (HAS_TITLE_HONORIFIC.test(out)) replace(NAME_TITLE_STYLE, 'name');
  if (HAS_HONORIFIC.test(out)) replace(NAME_HONORIFIC, 'name');
  if (out.includes('^')) replace(NAME_HL7, 'name');
  return { text: out, counts };
}

/** A path or message with the user name of any profile folder in it masked (machine facts, diagnostics). */
export function maskUserProfile(text: string): string {
  return text.replace(USER_PROFILE_PATH, (match: string, prefix: string, user: string) => (NOT_A_USER.test(user) ? match : prefix + PLACEHOLDERS.user));
}

/** The redacted text alone, for callers that do not need the counts. */
export function redactText(text: string): string {
  return redact(text).text;
}
