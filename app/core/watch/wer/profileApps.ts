/**
 * Which client profile a crashed program belongs to. WER and the Event Log name it by its file
 * name ("EmisWeb.exe") and, in Report.wer, by a friendly `AppName=` ("EMIS Web"); profiles list
 * executables (processNames) and WER AppNames (werAppNames), either of which may be a friendly
 * name. Matching ignores case (Windows file names do) and a trailing ".exe".
 */
export interface ProfileApps {
  profile: string;
  apps: readonly string[];
}

/** The names a profile is known by, for matching (processNames and werAppNames). */
export function profileAppsOf(profiles: readonly { name: string; processNames: readonly string[]; werAppNames: readonly string[] }[]): ProfileApps[] {
  return profiles.map((p) => ({ profile: p.name, apps: [...new Set([...p.processNames, ...p.werAppNames].map(normaliseAppName))] }));
}

/** The profile that lists any of `names` (exe name, friendly AppName…), or null when no profile watches it. */
export function profileFor(names: readonly (string | null | undefined)[], profiles: readonly ProfileApps[]): string | null {
  const wanted = names.filter((n): n is string => typeof n === 'string' && n.trim() !== '').map(normaliseAppName);
  for (const { profile, apps } of profiles) {
    if (apps.some((app) => wanted.includes(normaliseAppName(app)))) return profile;
  }
  return null;
}

/** The profile that lists `exeName`, or null. */
export function profileForExe(exeName: string, profiles: readonly ProfileApps[]): string | null {
  return profileFor([exeName], profiles);
}

/** "EmisWeb.exe" and "emisweb" and " EMISWEB.EXE " are one name. */
export function normaliseAppName(name: string): string {
  return name.trim().toLowerCase().replace(/\.exe$/, '');
}

/** "C:\\Program Files\\EMIS\\EmisWeb.exe" → "emisweb.exe" (either slash; Windows paths on any OS). */
export function exeNameFromPath(path: string): string {
  const parts = path.trim().split(/[\\/]/);
  return (parts[parts.length - 1] ?? '').toLowerCase();
}
