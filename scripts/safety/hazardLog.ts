/**
 * Reads the hazard log (docs/clinical-safety.md) into data, and checks that every control is
 * backed by a test that exists and runs. Used by tests/unit/tooling/hazardLog.test.ts (in CI, every
 * `npm test`) and by scripts/safety-case.ts (the DCB0129 safety case report).
 *
 * A small parser of our own format rather than a Markdown library: the log is ours, and the
 * format is three things (an `## Hn — title` heading, a two-column field table, a three-column
 * "Control | Test file | Test" table) read line by line; a CommonMark parser would hand back the
 * same cells and the meaning would still be ours to write. The format is described at the top of
 * the log itself, where its editors read it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredTests, type DeclaredTest } from './testTitles.ts';

export const SEVERITIES = ['Minor', 'Significant', 'Considerable', 'Major', 'Catastrophic'] as const;
export const LIKELIHOODS = ['Very low', 'Low', 'Medium', 'High', 'Very high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Likelihood = (typeof LIKELIHOODS)[number];

export interface Risk {
  severity: Severity;
  likelihood: Likelihood;
  /** The class the log states (`= **3**`). */
  stated: number;
}

export interface Citation {
  file: string;
  /** The it()/test() title, or `describe > … > title`. */
  test: string;
  line: number;
}

export interface Control {
  text: string;
  evidence: Citation[];
  line: number;
}

export interface Hazard {
  id: string;
  title: string;
  /** The field table by its bold label: Cause, Effect, Harm, Initial risk, Residual risk. */
  fields: Record<string, string>;
  initial: Risk | null;
  residual: Risk | null;
  controls: Control[];
  line: number;
}

export interface HazardLog {
  /** The intended-use paragraph, without its bold label. */
  intendedUse: string;
  /** matrix[likelihood][severity] → risk class, from the log's own risk matrix. */
  matrix: Map<Likelihood, Map<Severity, number>>;
  hazards: Hazard[];
}

export const REQUIRED_FIELDS = ['Cause', 'Effect', 'Harm', 'Initial risk', 'Residual risk'] as const;
const HAZARD_HEADING = /^## (H\d+) — (.+)$/;
const CONTROL_HEADER = /^\|\s*Control\s*\|\s*Test file\s*\|\s*Test\s*\|$/;
const RISK = new RegExp(`(${SEVERITIES.join('|')}) × (${LIKELIHOODS.join('|')}) = \\*\\*(\\d)\\*\\*`);

/** The cells of a Markdown table row; `\|` is a literal bar. */
export function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');

function parseRisk(text: string | undefined): Risk | null {
  const m = text === undefined ? null : RISK.exec(text);
  return m ? { severity: m[1] as Severity, likelihood: m[2] as Likelihood, stated: Number(m[3]) } : null;
}

/** The paragraph that starts with `label`, joined into one line, without the label. */
function paragraphAfter(lines: readonly string[], label: string): string {
  const start = lines.findIndex((l) => l.startsWith(label));
  if (start === -1) return '';
  const out: string[] = [];
  for (let i = start; i < lines.length && lines[i]!.trim() !== ''; i++) out.push(lines[i]!.trim());
  return out.join(' ').slice(label.length).trim();
}

export function parseHazardLog(markdown: string): HazardLog {
  const lines = markdown.split(/\r?\n/);
  const matrix = new Map<Likelihood, Map<Severity, number>>();
  const hazards: Hazard[] = [];
  let hazard: Hazard | null = null;
  let inControls = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const heading = HAZARD_HEADING.exec(line);
    if (heading) {
      hazard = { id: heading[1]!, title: heading[2]!.trim(), fields: {}, initial: null, residual: null, controls: [], line: lineNo };
      hazards.push(hazard);
      inControls = false;
      continue;
    }
    if (/^#{1,2} /.test(line)) {
      hazard = null; // a section that is not a hazard (Review, …) ends the last one
      inControls = false;
      continue;
    }
    if (!line.startsWith('|')) {
      inControls = false;
      continue;
    }
    const cells = tableCells(line);
    if (hazard === null) {
      const likelihood = LIKELIHOODS.find((l) => l === cells[0]);
      if (likelihood && cells.length === 6) matrix.set(likelihood, new Map(SEVERITIES.map((s, k) => [s, Number(cells[k + 1])])));
      continue;
    }
    if (CONTROL_HEADER.test(line.trim())) {
      inControls = true;
      i++; // the |---| line
      continue;
    }
    if (inControls) {
      const [text = '', file = '', test = ''] = cells;
      let control = hazard.controls.at(-1);
      if (text !== '' || !control) {
        control = { text, evidence: [], line: lineNo };
        hazard.controls.push(control);
      }
      if (file !== '' || test !== '') control.evidence.push({ file: unquote(file), test, line: lineNo });
      continue;
    }
    const label = /^\*\*(.+)\*\*$/.exec(cells[0] ?? '');
    if (label && cells.length === 2) hazard.fields[label[1]!] = cells[1]!;
  }
  for (const h of hazards) {
    h.initial = parseRisk(h.fields['Initial risk']);
    h.residual = parseRisk(h.fields['Residual risk']);
  }
  return { intendedUse: paragraphAfter(lines, '**Intended use.**'), matrix, hazards };
}

export interface CheckOptions {
  /** The repository root the cited paths are relative to. */
  root: string;
}

export interface CitedTest {
  citation: Citation;
  /** The declaration the citation names (the first, when a title is declared twice). */
  declared: DeclaredTest;
}

/** Finds the declaration a citation names: by its own title, or by `describe > … > title`. */
export function findCited(tests: readonly DeclaredTest[], cited: string): DeclaredTest[] {
  return tests.filter((t) => t.title === cited || [...t.path, t.title].join(' > ') === cited);
}

/**
 * Every way the log can fail its readers: a hazard without its fields or controls, a control
 * without a test, a cited file or title that does not exist, a cited test that is skipped, a
 * stated risk class that the matrix does not give. One line each, with the log's line number.
 */
export function checkHazardLog(log: HazardLog, options: CheckOptions): { problems: string[]; cited: CitedTest[] } {
  const problems: string[] = [];
  const cited: CitedTest[] = [];
  const testsByFile = new Map<string, DeclaredTest[] | null>();
  const testsIn = (file: string): DeclaredTest[] | null => {
    if (!testsByFile.has(file)) {
      const path = join(options.root, file);
      testsByFile.set(file, existsSync(path) ? declaredTests(readFileSync(path, 'utf8')) : null);
    }
    return testsByFile.get(file)!;
  };
  if (log.matrix.size !== LIKELIHOODS.length) problems.push('the risk matrix (5 likelihood rows × 5 severities) was not found');
  if (log.hazards.length === 0) problems.push('no hazard (a "## Hn — title" heading) was found');
  const seen = new Set<string>();
  let previous = 0;
  for (const h of log.hazards) {
    const where = `${h.id} (line ${h.line})`;
    const number = Number(h.id.slice(1));
    if (seen.has(h.id)) problems.push(`${where}: the id ${h.id} is used twice`);
    else if (number <= previous) problems.push(`${where}: hazards must be numbered in order (${h.id} comes after H${previous})`);
    seen.add(h.id);
    previous = Math.max(previous, number);
    for (const field of REQUIRED_FIELDS) if (!h.fields[field]) problems.push(`${where}: no "${field}" row`);
    for (const [name, risk] of [['Initial risk', h.initial], ['Residual risk', h.residual]] as const) {
      if (!h.fields[name]) continue;
      if (!risk) {
        problems.push(`${where}: "${name}" does not say "Severity × Likelihood = **N**"`);
        continue;
      }
      const expected = log.matrix.get(risk.likelihood)?.get(risk.severity);
      if (expected !== undefined && expected !== risk.stated) problems.push(`${where}: ${name} ${risk.severity} × ${risk.likelihood} is ${expected} in the matrix, not ${risk.stated}`);
    }
    if (h.controls.length === 0) problems.push(`${where}: no "Control | Test file | Test" table, so no control is traced to a test`);
    for (const control of h.controls) {
      const named = `${h.id} control "${control.text.slice(0, 60)}${control.text.length > 60 ? '…' : ''}" (line ${control.line})`;
      if (control.text === '') problems.push(`${named}: a control needs its description`);
      if (control.evidence.length === 0) problems.push(`${named}: has no test`);
      for (const citation of control.evidence) {
        const at = `${h.id} line ${citation.line}`;
        if (citation.file === '' || citation.test === '') {
          problems.push(`${at}: a citation needs both the test file and the test title`);
          continue;
        }
        if (!/^tests\/.+\.test\.ts$/.test(citation.file)) {
          problems.push(`${at}: ${citation.file} is not a test file of the suite (tests/**/*.test.ts)`);
          continue;
        }
        const tests = testsIn(citation.file);
        if (tests === null) {
          problems.push(`${at}: ${citation.file} does not exist`);
          continue;
        }
        const found = findCited(tests, citation.test);
        if (found.length === 0) {
          problems.push(`${at}: no test titled "${citation.test}" in ${citation.file} (titles built at run time cannot be cited)`);
          continue;
        }
        const skipped = found.find((t) => t.mode === 'skip' || t.mode === 'todo');
        if (skipped) problems.push(`${at}: "${citation.test}" in ${citation.file} is ${skipped.mode === 'todo' ? 'a todo' : 'skipped'} (line ${skipped.line}): a skipped test proves nothing`);
        else cited.push({ citation, declared: found[0]! });
      }
    }
  }
  return { problems, cited };
}
