/**
 * Which client profile an executable belongs to. WER and the Event Log name the crashed program
 * by its file name ("EmisWeb.exe"); profiles list the executables they cover. Matching ignores
 * case because Windows file names do.
 */
export interface ProfileApps {
  profile: string;
  apps: readonly string[];
}

/** The profile that lists `exeName` (case-insensitive), or null when no profile watches it. */
export function profileForExe(exeName: string, profiles: readonly ProfileApps[]): string | null {
  const wanted = exeName.toLowerCase();
  for (const { profile, apps } of profiles) {
    if (apps.some((app) => app.toLowerCase() === wanted)) return profile;
  }
  return null;
}

/** "C:\\Program Files\\EMIS\\EmisWeb.exe" → "emisweb.exe" (either slash; Windows paths on any OS). */
export function exeNameFromPath(path: string): string {
  const parts = path.trim().split(/[\\/]/);
  return (parts[parts.length - 1] ?? '').toLowerCase();
}
