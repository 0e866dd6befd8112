import { withoutControlChars } from '../common/controlChars.ts';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** One line for a person at a terminal: nothing in it can move the cursor or forge another line. */
export function printLine(text: string): void {
  process.stdout.write(withoutControlChars(text) + '\n');
}

export function printTable(rows: Array<Record<string, string | number>>, columns: string[]): void {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, i) => withoutControlChars(cell).padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(line(columns) + '\n');
  for (const row of rows) process.stdout.write(line(columns.map((c) => String(row[c] ?? ''))) + '\n');
}
