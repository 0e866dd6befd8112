import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * The watcher gives way to everything else on the PC: below-normal priority (nice 10 on Linux,
 * BELOW_NORMAL_PRIORITY_CLASS on Windows), so a watcher busy with a pathological log never takes
 * a core from the GP's typing, the clinical client or the note side. The price: under a fully
 * loaded PC the watcher notices things later.
 *
 * Called by the watcher itself, first thing. Windows sets the class for the whole process; Linux
 * sets a nice value per thread, so every thread that exists is lowered (threads started later —
 * the record matcher, libuv's pool — inherit it from the thread that starts them).
 */
export function lowerOwnPriority(platform: NodeJS.Platform = process.platform): void {
  const below = constants.priority.PRIORITY_BELOW_NORMAL;
  if (platform !== 'linux') {
    setPriority(0, below);
    return;
  }
  for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), below);
}
