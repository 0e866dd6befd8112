import type { ProcessSnapshot } from './processSnapshot.ts';

/** Splits one CSV line with quoted fields ("a","b ""c""",d). tasklist quotes every field. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** "123,456 K" (or "123.456 K" in other locales) → bytes. */
function parseMemUsage(text: string): number | null {
  const digits = text.replace(/[^0-9]/g, '');
  return digits === '' ? null : Number(digits) * 1024;
}

/** "0:01:23" → ms. */
function parseCpuTime(text: string): number | null {
  const parts = text.split(':').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p))) return null;
  return ((parts[0]! * 60 + parts[1]!) * 60 + parts[2]!) * 1000;
}

const NOT_RESPONDING = /not responding|keine rückmeldung|ne répond pas|no responde/i;

/**
 * Parses `tasklist /v /fo csv /nh`: Image Name, PID, Session Name, Session#, Mem Usage, Status,
 * User Name, CPU Time, Window Title. Columns are read by position because headers are localised.
 * The window title (it names patients) is dropped here and never leaves this function.
 * Also the brief form without /v (five columns, no status or CPU time): used where the
 * responsiveness probe answers "hung?" itself, since /v walks every window on the desktop.
 */
export function parseTasklistCsv(text: string): ProcessSnapshot[] {
  const snapshots: ProcessSnapshot[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('"')) continue; // blank lines, "INFO: No tasks are running…"
    const f = parseCsvLine(line);
    const pid = Number(f[1]);
    if (f.length < 5 || !Number.isInteger(pid)) continue; // the header row when /nh is missing
    const verbose = f.length >= 8;
    const status = verbose ? (f[5] ?? '') : '';
    snapshots.push({
      pid,
      name: (f[0] ?? '').toLowerCase(),
      state: NOT_RESPONDING.test(status) ? 'not-responding' : /running/i.test(status) ? 'running' : 'unknown',
      rssBytes: parseMemUsage(f[4] ?? ''),
      cpuMs: verbose ? parseCpuTime(f[7] ?? '') : null,
      startedAt: null,
    });
  }
  return snapshots;
}

/**
 * Parses the JSON of `Get-Process -Name X | Select-Object Id,ProcessName,Responding,WorkingSet64,
 * TotalProcessorTime,StartTime | ConvertTo-Json -Compress` (one object or an array; dates as
 * "/Date(ms)/" from Windows PowerShell 5.1, ISO strings from PowerShell 7).
 */
export function parseGetProcessJson(text: string): ProcessSnapshot[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parsed = JSON.parse(trimmed) as unknown;
  const items = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
  const date = (v: unknown): number | null => {
    if (typeof v === 'string') {
      const legacy = /\/Date\((\d+)\)\//.exec(v);
      if (legacy) return Number(legacy[1]);
      const t = Date.parse(v);
      return Number.isNaN(t) ? null : t;
    }
    return null;
  };
  const cpu = (v: unknown): number | null => {
    if (v && typeof v === 'object' && 'TotalMilliseconds' in v) return Number((v as { TotalMilliseconds: unknown }).TotalMilliseconds);
    return null;
  };
  return items.map((p) => ({
    pid: Number(p.Id),
    name: `${String(p.ProcessName ?? '').toLowerCase()}.exe`,
    state: p.Responding === false ? 'not-responding' : 'running',
    rssBytes: typeof p.WorkingSet64 === 'number' ? p.WorkingSet64 : null,
    cpuMs: cpu(p.TotalProcessorTime),
    startedAt: date(p.StartTime),
  }));
}
