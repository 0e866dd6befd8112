import { describe, expect, it } from 'vitest';
import { LINUX_POLICY_PATH, machinePolicyLocation } from '../../../../app/core/config/machinePolicy.ts';

describe('the machine policy has a fixed place, out of the user’s reach', () => {
  it('is /etc/lifeboat/policy.json whatever the user’s environment says', async () => {
    const env = { LIFEBOAT_POLICY: '/home/gp/my-policy.json', XDG_CONFIG_HOME: '/home/gp/.config', HOME: '/home/gp' };
    expect(await machinePolicyLocation('linux', env)).toEqual({ path: LINUX_POLICY_PATH, caveat: null });
    expect(await machinePolicyLocation('darwin', env)).toEqual({ path: LINUX_POLICY_PATH, caveat: null });
  });

  it('on Windows, when the known folder cannot be asked of Windows, says that %ProgramData% was used and that a user can change it', async () => {
    // Here (Linux) shell32.dll cannot load: the fallback path, said so. Under Wine the lane checks the real call.
    const location = await machinePolicyLocation('win32', { ProgramData: 'D:\\ProgramData', LIFEBOAT_POLICY: 'C:\\Users\\gp\\p.json' });
    expect(location.path).toBe('D:\\ProgramData\\Lifeboat\\policy.json');
    expect(location.caveat).toMatch(/could not be asked of Windows .*a user can change/);
  });
});
