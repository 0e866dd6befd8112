import type { DraftState } from './draft.ts';

/**
 * Small rules about a draft's text and state that the screens and the API both apply. No zod
 * here: the renderer imports this module at run time, and the page ships no schema code.
 */

/** Around each matched word in a search snippet (FTS5 snippet()): control characters no note contains. */
export const SNIPPET_MARK = { start: '\u0002', end: '\u0003' } as const;

/** The GP has acted on the note: pasted back into the clinical system ("Done"). Discarded notes are deleted. */
const DEALT_WITH: ReadonlySet<DraftState> = new Set<DraftState>(['saved-in-client', 'discarded']);

/** Whether the note no longer needs the GP: it is not counted in "Recover notes (N)" and keeps no banner up. */
export const isDealtWith = (state: DraftState): boolean => DEALT_WITH.has(state);

export const PREVIEW_CHARS = 80;

/**
 * The first words of a note on one line, to tell it from the next without opening it:
 * blank lines dropped, a first line that only repeats the title skipped, lines joined with " · ",
 * cut at a word boundary near `max` characters with an ellipsis.
 */
export function notePreview(body: string, title = '', max = PREVIEW_CHARS): string {
  const lines = body
    .split(/\r\n?|\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
  if (lines.length > 1 && title.trim() !== '' && lines[0]!.toLowerCase() === title.trim().toLowerCase()) lines.shift();
  const joined = lines.join(' · ');
  if (joined.length <= max) return joined;
  const cut = joined.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s·,;:.-]+$/, '')}…`;
}
