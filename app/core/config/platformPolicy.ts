import type { PolicySource } from './registryPolicy.ts';

/** Policy layers beyond policy.json that this platform has, and how to hear them change. */
export interface PlatformPolicy {
  sources: PolicySource[];
  /** Calls onChange when any source may have changed; returns stop(). */
  watch(onChange: () => void, onError: (message: string) => void): () => Promise<void>;
}

const NONE: PlatformPolicy = { sources: [], watch: () => async () => undefined };

/**
 * Windows: the registry (HKCU, then HKLM \SOFTWARE\Policies\Lifeboat), through koffi, loaded only
 * there. Elsewhere, and where the registry cannot be reached, policy.json alone (with a diagnostic).
 */
export async function platformPolicy(platform: NodeJS.Platform = process.platform, onUnavailable: (message: string) => void = () => undefined): Promise<PlatformPolicy> {
  if (platform !== 'win32') return NONE;
  try {
    const { createWin32RegistryPolicy } = await import('./win32/win32RegistryPolicy.ts');
    return createWin32RegistryPolicy();
  } catch (error) {
    onUnavailable(`policy from the registry is unavailable (${(error as Error).message}); only policy.json applies`);
    return NONE;
  }
}
