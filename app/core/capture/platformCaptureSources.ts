import type { LoadedConfig } from '../config/configFile.ts';
import { nameMatches } from '../watch/process/processSnapshot.ts';
import type { CaptureSources } from './clientCapture.ts';
import type { ProbeTarget } from './captureSource.ts';
import { SimCaptureSource } from './sim/simCaptureSource.ts';
import { SimHeartbeatProbe } from './sim/simHeartbeatProbe.ts';
import { simSocketPath } from './sim/simSocket.ts';

/**
 * The capture sources this machine has. Windows: user32 and UI Automation through koffi, loaded
 * only there (koffi and COM cost nothing on a machine that cannot use them). Elsewhere only the
 * simulated client can be read, through its socket, when an active profile names its folder.
 */
export async function platformCaptureSources(options: { platform: NodeJS.Platform; config: LoadedConfig; running: () => readonly ProbeTarget[] }): Promise<CaptureSources> {
  if (options.platform === 'win32') {
    try {
      const { createWin32Capture } = await import('./win32/createWin32Capture.ts');
      return { ...createWin32Capture(), unavailable: null };
    } catch (err) {
      return { text: null, clipboard: null, probe: null, unavailable: `text capture could not start: ${(err as Error).message}` };
    }
  }
  const simProfiles = options.config.active.filter((p) => options.config.simSocketDirs[p.name] !== undefined);
  if (simProfiles.length === 0) {
    return { text: null, clipboard: null, probe: null, unavailable: `text capture and the responsiveness probe read the clinical client's window through Windows (user32, UI Automation); not available on ${options.platform}` };
  }
  const socketFor = (target: ProbeTarget): string | null => {
    const profile = simProfiles.find((p) => nameMatches(target.processName, p.processNames));
    return profile ? simSocketPath(options.config.simSocketDirs[profile.name]!, target.pid) : null;
  };
  return {
    text: new SimCaptureSource({ targets: options.running, socketFor }),
    clipboard: null,
    probe: new SimHeartbeatProbe(socketFor),
    unavailable: `on ${options.platform} only the simulated client can be read; the clipboard journal needs Windows`,
  };
}
