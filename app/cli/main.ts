// The `lifeboat` command as installed: the machine policy where this platform keeps it, never
// where the user's environment says (config/machinePolicy.ts).
import { machinePolicyLocation } from '../core/config/machinePolicy.ts';
import { runLifeboatCli } from './program.ts';

await runLifeboatCli(process.argv, { policy: await machinePolicyLocation() });
