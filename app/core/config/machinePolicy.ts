import { win32 } from 'node:path';

/** The practice's machine policy file: where it is, and how that place was found (for IT). */
export interface MachinePolicyLocation {
  path: string;
  /** A caveat for IT when the place could only be found from the environment; null otherwise. */
  caveat: string | null;
}

export const LINUX_POLICY_PATH = '/etc/lifeboat/policy.json';

/**
 * Where the machine policy is, fixed per platform and never taken from anything the user can set:
 * - Windows: the registry policy (HKLM\SOFTWARE\Policies\Lifeboat, platformPolicy.ts) and
 *   %ProgramData%\Lifeboat\policy.json, the ProgramData folder asked of Windows itself
 *   (SHGetKnownFolderPath reads it from HKLM), not from the ProgramData environment variable,
 *   which a user may set for their own session;
 * - elsewhere: /etc/lifeboat/policy.json.
 * There is deliberately no environment variable or command-line option for it in the product:
 * LIFEBOAT_POLICY used to move it, which let any user drop the practice's policy. Tests point
 * the composition root at a policy of their own through the test entry
 * (tests/support/lifeboatUnderTest.ts), which no build a practice installs contains.
 */
export async function machinePolicyLocation(platform: NodeJS.Platform = process.platform, env: Readonly<Record<string, string | undefined>> = process.env): Promise<MachinePolicyLocation> {
  if (platform !== 'win32') return { path: LINUX_POLICY_PATH, caveat: null };
  try {
    const { knownProgramDataFolder } = await import('./win32/win32KnownFolders.ts');
    return { path: win32.join(knownProgramDataFolder(), 'Lifeboat', 'policy.json'), caveat: null };
  } catch (error) {
    // Windows without koffi (should not happen in a packaged build): the environment, said so.
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return {
      path: win32.join(programData, 'Lifeboat', 'policy.json'),
      caveat: `the ProgramData folder could not be asked of Windows (${(error as Error).message}); %ProgramData% from the environment was used, which a user can change`,
    };
  }
}
