/**
 * Redaction of patient-identifying data from text that leaves the clinical client's logs:
 * incident evidence, reports, evidence packs. Every rule is anchored so that the things a
 * crash report is made of (versions 9.2.1.4410, exception codes e0434352, hex addresses, GUIDs,
 * ISO timestamps, file paths) survive, and only data shaped like a person's details goes.
 * When in doubt a rule errs towards removing: a lost word in evidence costs less than a leak.
 */

export type RedactionKind = 'nhs' | 'postcode' | 'phone' | 'email' | 'dob' | 'name';

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

/** 3-3-4 digits, each gap an optional space or dash. Only mod-11-valid numbers are replaced. */
const NHS = new RegExp(String.raw`${NOT_AFTER_TOKEN}(\d{3})[ -]?(\d{3})[ -]?(\d{4})${NOT_BEFORE_TOKEN}`, 'g');

// UK numbers are 0 + 10 digits; after the area digit (1, 2, 3 or 7) the usual groupings.
const UK_SUBSCRIBER = String.raw`[1237](?:\d{9}|\d{3}[ -]?\d{6}|\d{2}[ -]?\d{3}[ -]?\d{4}|\d[ -]?\d{4}[ -]?\d{4}|\d{3}[ -]?\d{3}[ -]?\d{3})`;
const PHONE = new RegExp(String.raw`${NOT_AFTER_TOKEN}(?:\+44[ -]?(?:\(0\)[ -]?)?|0)${UK_SUBSCRIBER}${NOT_BEFORE_TOKEN}`, 'g');

// "c0000005@clr.dll" (a WER fault signature) is not an address: file extensions are not top-level domains.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.(?!(?:dll|exe|sys|drv|ocx|pdb|log|txt|tmp|dat|json|xml|config|wer)\b)[A-Za-z]{2,24}\b/gi;

/**
 * UK postcodes, outward + inward code, with the Royal Mail letter rules (no Q/V/X first, no I/J/Z
 * second, inward letters never C I K M O V) so hex and words like "x86 4gb" are left alone.
 */
const POSTCODE = new RegExp(
  String.raw`(?<![\w.\\/-])[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d(?:\d|[ABEHMNPRV-Y])?|\d[A-HJKPS-UW]) ?\d[ABD-HJLNP-UW-Z]{2}(?![\w\\/]|[.-]\w)`,
  'gi',
);

const MONTH = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const DATE = String.raw`(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}(?:st|nd|rd|th)?[ -]${MONTH},?[ -]\d{2,4}|${MONTH} \d{1,2}(?:st|nd|rd|th)?,? \d{4})`;
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
/** Letters as [xX] classes: a case-insensitive part of a case-sensitive expression, without ES2025 (?i:…), which Node 22 lacks. */
function anyCase(source: string): string {
  return source.replace(/\\.|[a-z]/g, (c) => (c.length === 1 ? `[${c}${c.toUpperCase()}]` : c));
}
// "for patient Jane Example": no separator, so ask for two or more capitalised words.
const CAP_WORD = String.raw`(?!${anyCase(STOP)})\p{Lu}[\p{L}'’-]*(?![\p{L}\d'’-]|[.\\/]\w)`;
const NAME_AFTER_PATIENT = new RegExp(String.raw`(\b[Pp]atient )${CAP_WORD}(?: ${CAP_WORD}){1,3}`, 'gu');

const HAS_DIGIT = /\d/;
const HAS_LABEL = /patient|name|dob|d\.o\.b|born|birth/i;

/**
 * Replaces NHS numbers (valid ones only), UK postcodes, UK phone numbers, emails, labelled dates
 * of birth and labelled patient names with typed placeholders, counting each kind.
 * Idempotent: placeholders match none of the rules. Cheap when a line has nothing to find.
 */
export function redact(text: string): RedactionResult {
  const counts: Record<RedactionKind, number> = { nhs: 0, postcode: 0, phone: 0, email: 0, dob: 0, name: 0 };
  let out = text;
  const replace = (pattern: RegExp, kind: RedactionKind, keepPrefix = false): void => {
    out = out.replace(pattern, (match: string, prefix: unknown) => {
      counts[kind]++;
      return (keepPrefix ? String(prefix) : '') + PLACEHOLDERS[kind];
    });
  };
  if (out.includes('@')) replace(EMAIL, 'email');
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
  return { text: out, counts };
}

/** The redacted text alone, for callers that do not need the counts. */
export function redactText(text: string): string {
  return redact(text).text;
}
