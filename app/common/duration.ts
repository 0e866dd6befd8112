const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses "14d", "12h", "30m", "45s", "2w" into milliseconds; throws a readable error otherwise. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration: use a number and a unit, like 14d, 12h, 30m or 45s`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!);
}
