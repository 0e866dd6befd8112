import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, redact } from '../../../app/common/redact.ts';
import { seededRandom } from '../../../app/common/seededRandom.ts';

const pick = <T,>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function checkDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check;
}

function randomNhs(random: () => number, valid: boolean): string {
  for (;;) {
    const nine = Array.from({ length: 9 }, () => Math.floor(random() * 10)).join('');
    const check = checkDigit(nine);
    if (valid && check !== 10) return nine + check;
    if (!valid) {
      // Invalid: either the check digit is wrong, or the nine digits have no valid check digit at all.
      const wrong = check === 10 ? Math.floor(random() * 10) : (check + 1 + Math.floor(random() * 9)) % 10;
      return nine + wrong;
    }
  }
}

function formatNhs(random: () => number, digits: string): string {
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  return pick(random, [digits, `${a} ${b} ${c}`, `${a}-${b}-${c}`, `${a} ${b}-${c}`, `${a}${b} ${c}`]);
}

/** Text a crash report is made of: none of it is personal data, all of it must survive. */
const SAFE_TOKENS = [
  'EmisWeb.exe', '9.2.1.4410', 'e0434352', '0xe0434352', '0x7ffe4a2b', '7ffe4a2b', '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  '{B5A2C1D0-1234-4ABC-9DEF-0123456789AB}', '2026-01-05T09:00:00.000Z', '2026-01-05 09:00:00,123', String.raw`C:\Program Files (x86)\EMIS\EmisWeb.exe`,
  '/var/log/lifeboat/client.log', 'System.OutOfMemoryException', 'at', 'EmisWeb.Consultation.JournalView.LoadEntries(PatientContext context)',
  'took', '3012', 'ms', 'INFO', 'FATAL', 'WARN', '[4242]', 'Request', 'GetPatientJournal', 'v4.0.30319', 'Int32', 'x86', '4gb', '1736067600000',
  'Report.wer', 'Sig[0].Value=EmisWeb.exe', 'EventTime=133211708571634483', 'exit', 'code', '-532462766', 'pid', '12', 'the', 'user', 'closed',
  'window', 'Faulting', 'module', 'clr.dll,', 'version', 'offset:', '0x000b3a2f', 'AppHangB1', 'CLR20r3', 'heap', '3.2', 'GB', 'Timeout', 'after',
];
const SEPARATORS = [' ', ' ', ' ', ', ', ': ', ' - ', '; ', ' (', ') ', '\t'];

function safeText(random: () => number, words: number): string {
  let out = pick(random, SAFE_TOKENS);
  for (let i = 1; i < words; i++) out += pick(random, SEPARATORS) + pick(random, SAFE_TOKENS);
  return out;
}

describe('isValidNhsNumber', () => {
  it('accepts mod-11 valid numbers and rejects the rest', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('4010232137')).toBe(true);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('943 476 5919')).toBe(false);
    // Nine digits whose check digit would be 10 have no valid NHS number.
    const nine = '123456780';
    expect(checkDigit(nine)).not.toBe(10);
    const withTen = Array.from({ length: 1000 }, (_, i) => String(100000000 + i)).find((n) => checkDigit(n) === 10)!;
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`${withTen}${d}`)).toBe(false);
  });
});

describe('redact: table', () => {
  const cases: Array<[string, string, Partial<Record<string, number>>]> = [
    ['NHS 943 476 5919 seen', 'NHS [NHS-NUMBER] seen', { nhs: 1 }],
    ['nhs=9434765919;', 'nhs=[NHS-NUMBER];', { nhs: 1 }],
    ['NHS:943-476-5919', 'NHS:[NHS-NUMBER]', { nhs: 1 }],
    ['Patient: Jane Smith', 'Patient: [NAME]', { name: 1 }],
    ["Name=John O'Neil was seen", 'Name=[NAME] was seen', { name: 1 }],
    ['patient name: jane smith-jones, NHS 9434765919', 'patient name: [NAME], NHS [NHS-NUMBER]', { name: 1, nhs: 1 }],
    ['Opened record for patient Jane Example, NHS 943 476 5919, DOB 01/02/1960', 'Opened record for patient [NAME], NHS [NHS-NUMBER], DOB [DOB]', { name: 1, nhs: 1, dob: 1 }],
    ['D.O.B. 3rd March 1960', 'D.O.B. [DOB]', { dob: 1 }],
    ['born on 1960-03-03', 'born on [DOB]', { dob: 1 }],
    ['Date of birth: 03-Mar-1960', 'Date of birth: [DOB]', { dob: 1 }],
    ['lives at LS1 4AP.', 'lives at [POSTCODE].', { postcode: 1 }],
    ['SW1A 1AA and sw1a1aa and M1 1AE', '[POSTCODE] and [POSTCODE] and [POSTCODE]', { postcode: 3 }],
    ['call 07700 900123', 'call [PHONE]', { phone: 1 }],
    ['tel:07700900123', 'tel:[PHONE]', { phone: 1 }],
    ['+44 (0)20 7946 0000 or +44 7700 900123', '[PHONE] or [PHONE]', { phone: 2 }],
    ['0113 496 0000, 020 7946 0000, 01632 960123', '[PHONE], [PHONE], [PHONE]', { phone: 3 }],
    ['mail jane.smith1960@nhs.net now', 'mail [EMAIL] now', { email: 1 }],
    ['write to j.smith@nhs.net.', 'write to [EMAIL].', { email: 1 }],
  ];
  it.each(cases)('%s', (input, expected, counts) => {
    const result = redact(input);
    expect(result.text).toBe(expected);
    for (const [kind, n] of Object.entries(counts)) expect(result.counts[kind as keyof typeof result.counts]).toBe(n);
  });

  const keep = [
    'EmisWeb.exe 9.2.1.4410 crashed',
    // A WER module name with an "@" (a real Windows 11 report's Sig[3]): not an address.
    'Fault in c0000409@microsoft.ui.input.dll at 0x1a2b',
    'Exception code: 0xe0434352 (e0434352)',
    'Fault offset: 0x000b3a2f at 0x00007ffe4a2b3c4d',
    'Report Id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    '2026-01-05T09:00:00.000Z 2026-01-05 09:00:00,123',
    'NHS 943 476 5918 (fails mod-11)',
    '1234567890',
    String.raw`C:\Users\Public\EMIS\Logs\EmisWeb_20260105.log`,
    '/etc/lifeboat/policy.json',
    'Faulting application name: EmisWeb.exe, version: 9.2.1.4410',
    'Module name: clr.dll',
    'x86 4gb Int32 v4.0.30319 CLR20r3 AppHangB1',
    'EventTime=133211708571634483 ts=1736067600000',
    'Consultation view refreshed in 123 ms (entry 42)',
    'Request GetPatientJournal took 4410 ms (threshold 2000 ms)',
    'dated 01/02/1960 without a birth label',
    'fault c0000005@clr.dll and e0434352@KERNELBASE.dll',
  ];
  it.each(keep)('keeps %s', (input) => {
    expect(redact(input).text).toBe(input);
  });
});

describe('redact: properties (seeded)', () => {
  const runs = 2000;

  it('always removes valid NHS numbers in any format inside any text', () => {
    const random = seededRandom(20260105);
    for (let i = 0; i < runs; i++) {
      const formatted = formatNhs(random, randomNhs(random, true));
      const text = `${safeText(random, 1 + Math.floor(random() * 6))} ${formatted}${pick(random, SEPARATORS)}${safeText(random, 1 + Math.floor(random() * 6))}`;
      const result = redact(text);
      expect(result.text, text).not.toContain(formatted);
      expect(result.counts.nhs, text).toBeGreaterThanOrEqual(1);
    }
  });

  it('always keeps 10-digit numbers that fail the check digit', () => {
    const random = seededRandom(7);
    for (let i = 0; i < runs; i++) {
      const formatted = formatNhs(random, randomNhs(random, false));
      const text = `${safeText(random, 3)} ${formatted}${pick(random, SEPARATORS)}${safeText(random, 3)}`;
      expect(redact(text).text, text).toBe(text);
    }
  });

  it('does not change text without personal data', () => {
    const random = seededRandom(42);
    for (let i = 0; i < runs; i++) {
      const text = safeText(random, 1 + Math.floor(random() * 12));
      expect(redact(text).text, text).toBe(text);
    }
  });

  it('is idempotent', () => {
    const random = seededRandom(99);
    const pii = ['Patient: Jane Smith', 'DOB 01/02/1960', 'LS1 4AP', '07700 900123', 'jane@example.org', "Name=John O'Neil", 'patient Mary Ann Jones'];
    for (let i = 0; i < runs; i++) {
      const text = `${safeText(random, 3)} ${pick(random, pii)} ${formatNhs(random, randomNhs(random, true))} ${safeText(random, 3)}`;
      const once = redact(text).text;
      const twice = redact(once);
      expect(twice.text, text).toBe(once);
      expect(Object.values(twice.counts).every((n) => n === 0), once).toBe(true);
    }
  });

  it('costs a few microseconds per log line', () => {
    const random = seededRandom(1);
    const lines = Array.from({ length: 2000 }, () => safeText(random, 12));
    // CPU time of this process, not wall time: the work redaction does, whatever else the machine
    // is running (a loaded CI machine gave this test a fifth of a core and wall time 5× over).
    const started = process.cpuUsage();
    for (let round = 0; round < 10; round++) for (const line of lines) redact(line);
    const used = process.cpuUsage(started);
    const microsPerLine = (used.user + used.system) / (lines.length * 10);
    expect(microsPerLine).toBeLessThan(20);
  });
});

describe('redact: identifiers in every context (seeded property tests)', () => {
  const runs = 1500;
  const FIRST = ['Jane', 'John', 'Aisha', 'Oluwaseun', 'Siân', 'Zoë', 'Mary-Ann', "Seán", 'Wei'];
  const LAST = ['Smith', "O'Neil", 'Smith-Jones', 'Nowak', 'Okafor', 'Ó Briain', 'MacDonald', 'Patel'];
  const POSTCODES = ['SW1A 1AA', 'LS1 4AP', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'EC1A 1BB', 'W1A 0AX'];
  const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Dr'];

  /** An NHS number written the many ways people and programs write it. */
  function nhsIn(random: () => number, digits: string): string {
    const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
    const sep = pick(random, [' ', '-', '.', '/', '_', '', '\u00a0', '\u202f']);
    const plain = `${a}${sep}${b}${sep}${c}`;
    // Full-width digits, as some forms and PDFs produce them.
    return random() < 0.15 ? plain.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : plain;
  }

  const CONTEXTS: Array<(id: string, random: () => number) => string> = [
    (id) => `Opened ${id} in journal`,
    (id) => `C:\\Letters\\${id}.docx`,
    (id) => `\\\\server\\scans\\patient_${id}\\referral.pdf`,
    (id) => `/srv/letters/${id}/discharge.pdf`,
    (id) => `https://portal.example.nhs.uk/patients/${id}?view=summary`,
    (id) => `file:///C:/Scans/${id}_letter.pdf`,
    (id) => `{"nhsNumber":"${id}","status":"ok"}`,
    (id) => `<NHSNumber>${id}</NHSNumber>`,
    (id) => `PID|1||${id}^^^NHS^NH||X^Y||19700101|M`,
    (id) => `ref=${id};`,
  ];

  it('removes a valid NHS number from paths, URLs, JSON, XML, HL7, with any separator or digit form', () => {
    const random = seededRandom(13);
    for (let i = 0; i < runs; i++) {
      const digits = randomNhs(random, true);
      const written = nhsIn(random, digits);
      const text = `${safeText(random, 2)} ${pick(random, CONTEXTS)(written, random)} ${safeText(random, 2)}`;
      const out = redact(text).text;
      expect(out.replace(/\D/g, ''), text).not.toContain(digits);
    }
  });

  it('removes names and dates of birth given as fields in JSON, XML, HL7 and key=value text', () => {
    const random = seededRandom(17);
    for (let i = 0; i < runs; i++) {
      const first = pick(random, FIRST);
      const last = pick(random, LAST);
      const [dob, compact] = pick(random, [['1970-01-01', '19700101'], ['01/02/1960', '19600201'], ['19700101', '19700101'], ['3 March 1960', '19600303']] as const);
      const shapes = [
        `{"patientName":"${first} ${last}","dateOfBirth":"${dob}"}`,
        `{"surname":"${last}","forename":"${first}","dob":"${dob}"}`,
        `<PatientName>${first} ${last}</PatientName><DOB>${dob}</DOB>`,
        `<Patient name="${first} ${last}" birthDate="${dob}"/>`,
        `PID|1||X||${last.toUpperCase()}^${first.toUpperCase()}^^^MR||${compact}|F`,
        `patient_name=${first} ${last}; DOB: ${compact}`,
      ];
      const text = `${safeText(random, 2)} ${pick(random, shapes)} ${safeText(random, 2)}`;
      const out = redact(text).text;
      for (const secret of [first, last, last.toUpperCase(), first.toUpperCase(), dob, compact]) expect(out, text).not.toContain(secret);
    }
  });

  it('removes window-title and honorific names, and postcodes inside paths', () => {
    const random = seededRandom(19);
    for (let i = 0; i < runs; i++) {
      const first = pick(random, FIRST);
      const last = pick(random, LAST.filter((l) => !l.includes(' ')));
      const title = pick(random, TITLES);
      const postcode = pick(random, POSTCODES);
      const shapes = [
        `EMIS Web - ${last.toUpperCase()}, ${first} (${title}) - Consultation`,
        `Consultation for ${title} ${first} ${last} opened`,
        `C:\\Scans\\${postcode}\\letter.pdf`,
        `/srv/addresses/${postcode.replace(' ', '')}_${pick(random, ['a', 'b'])}.txt`,
        `\\\\server\\share\\${postcode.replace(' ', '_')}\\x.doc`,
      ];
      const shape = pick(random, shapes);
      const text = `${safeText(random, 2)} ${shape} ${safeText(random, 2)}`;
      const out = redact(text).text;
      for (const secret of [first, last, postcode, postcode.replace(' ', ''), postcode.replace(' ', '_')]) {
        if (shape.includes(secret)) expect(out, text).not.toContain(secret);
      }
    }
  });

  it('masks the user name in profile paths (often the clinician’s own name), not shared profiles', () => {
    expect(redact(String.raw`C:\Users\dr.jsmith\AppData\Local\EMIS\Logs\a.log`)).toEqual({ text: String.raw`C:\Users\[USER]\AppData\Local\EMIS\Logs\a.log`, counts: expect.objectContaining({ user: 1 }) });
    expect(redact('/home/gp/.config/lifeboat/config.json').text).toBe('/home/[USER]/.config/lifeboat/config.json');
    expect(redact('c:/users/Jane Smith/Documents').text).toBe('c:/users/[USER]/Documents');
    expect(redact(String.raw`C:\Users\Public\Desktop`).text).toBe(String.raw`C:\Users\Public\Desktop`);
  });
});

describe('machine.json', () => {
  it('masks the user name in the vault path it reports (the clinician’s own name, often)', async () => {
    const { collectMachineFacts } = await import('../../../app/core/report/machineFacts.ts');
    const facts = collectMachineFacts({ vaultDir: '/home/drjanesmith/.local/share/lifeboat/vault', now: 0 });
    expect(facts.disk.path).toBe('/home/[USER]/.local/share/lifeboat/vault');
    expect(JSON.stringify(facts)).not.toContain('drjanesmith');
    const windows = collectMachineFacts({ vaultDir: String.raw`C:\Users\jane.smith\AppData\Local\Lifeboat\vault`, now: 0 });
    expect(JSON.stringify(windows)).not.toContain('jane.smith');
  });
});
