/**
 * File-name globs for log folders (`*.log`, `EmisWeb*.txt`, `app.log.?`). chokidar 6 has no globs,
 * and the patterns only ever name files inside one folder, so this matches base names only:
 * `*` and `?` never cross a separator. Case-insensitive on Windows, like its file system.
 */
export function compileFileGlobs(globs: readonly string[], platform: NodeJS.Platform = process.platform): (baseName: string) => boolean {
  const flags = platform === 'win32' ? 'i' : '';
  const regexes = globs.map((glob) => new RegExp(`^${glob.split('').map(globCharToRegex).join('')}$`, flags));
  return (baseName) => regexes.some((re) => re.test(baseName));
}

function globCharToRegex(char: string): string {
  if (char === '*') return '[^/\\\\]*';
  if (char === '?') return '[^/\\\\]';
  return char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}
