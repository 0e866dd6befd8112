/**
 * Expands the variables practice IT writes in folder paths: %LOCALAPPDATA%, %ProgramData%,
 * %USERPROFILE% (Windows style, case-insensitive, as Windows itself treats them) and a leading ~.
 * A variable that is not set is left as written, so the path visibly fails to exist rather than
 * silently pointing somewhere else. Separators are made native for the platform.
 */
export function expandPathVars(dir: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string {
  let out = dir.replace(/%([A-Za-z_][A-Za-z0-9_()]*)%/g, (whole, name: string) => lookup(env, name) ?? whole);
  if (out === '~' || /^~[\\/]/.test(out)) {
    const home = platform === 'win32' ? (lookup(env, 'USERPROFILE') ?? lookup(env, 'HOME')) : (lookup(env, 'HOME') ?? lookup(env, 'USERPROFILE'));
    if (home !== undefined) out = home + out.slice(1);
  }
  return platform === 'win32' ? out.replace(/\//g, '\\') : out.replace(/\\/g, '/');
}

function lookup(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const exact = env[name];
  if (exact !== undefined && exact !== '') return exact;
  const upper = name.toUpperCase();
  for (const [key, value] of Object.entries(env)) {
    if (key.toUpperCase() === upper && value !== undefined && value !== '') return value;
  }
  return undefined;
}
