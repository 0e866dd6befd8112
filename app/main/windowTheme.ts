/**
 * The window's colour before the page has painted, matching the page's own background in the
 * OS theme (renderer/src/styles.css, --page): no white flash when the GP works in dark mode.
 * The page itself follows prefers-color-scheme, which Electron derives from nativeTheme.
 */
export const WINDOW_BACKGROUND = { light: '#f4f6f8', dark: '#14181d' } as const;

export const windowBackground = (dark: boolean): string => (dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light);

/** What the save dialog offers for an exported file, by its extension. */
export function saveDialogFilter(fileName: string): { name: string; extensions: string[] } {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const names: Record<string, string> = { html: 'Web page (report)', csv: 'CSV for a spreadsheet', json: 'JSON', zip: 'Zip archive (evidence pack)' };
  return { name: names[ext] ?? 'File', extensions: ext === '' ? ['*'] : [ext] };
}
