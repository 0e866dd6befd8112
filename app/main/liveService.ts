import { platformPolicy } from '../core/config/platformPolicy.ts';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import { startLifeboat } from '../core/startLifeboat.ts';
import type { LifeboatServiceHandle, LifeboatServiceOptions } from './lifeboatService.ts';

/**
 * The real service for the tray app: the same composition root as `lifeboat watch` and `serve`
 * (config files, vault, watchers, correlator, notify policy), behind the handle main expects.
 */
export async function startLiveService(options: LifeboatServiceOptions): Promise<LifeboatServiceHandle> {
  const locations = defaultLocations();
  const runtime = await startLifeboat({
    vaultDir: options.vaultDir,
    keySource: options.keySource,
    clock: options.clock,
    stateDir: locations.stateDir,
    userConfigPath: locations.userConfig,
    // Where the machine keeps it, never where the user's environment says (config/machinePolicy.ts).
    policyConfigPath: options.machinePolicy.path,
    // Group Policy / Intune: HKLM and HKCU\SOFTWARE\Policies\Lifeboat, applied live.
    policy: await platformPolicy(process.platform),
    // The tray comes up at once: the watcher starts beside it and notes never wait for it.
    service: {
      ...(options.runtime ? { entries: options.runtime.entries, launchWatcher: options.runtime.launchWatcher } : {}),
      // Config problems also reach Status and Settings; the log keeps the details for IT.
      ...(options.log ? { onDiagnostic: (d) => options.log!(`${d.source}: ${d.message}`) } : {}),
    },
  });
  return {
    handlers: runtime.handlers,
    events: runtime.events,
    health: () => runtime.health(),
    vault: runtime.vault,
    stop: () => runtime.stop(),
  };
}
