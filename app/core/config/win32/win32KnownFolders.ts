/**
 * The ProgramData folder as Windows knows it (SHGetKnownFolderPath, FOLDERID_ProgramData), through
 * koffi: Windows reads it from HKLM, so a user's own %ProgramData% cannot move the machine policy.
 */
import koffi from 'koffi';
import { guidBytes } from '../../capture/win32/comGuid.ts';

const FOLDERID_PROGRAM_DATA = '{62AB5D82-FDC1-4DC3-A9DD-070D1D495D97}';
/** KF_FLAG_DONT_VERIFY: the path even if the folder is missing (it never is). */
const KF_FLAG_DONT_VERIFY = 0x4000;

let cached: string | null = null;

export function knownProgramDataFolder(): string {
  if (cached !== null) return cached;
  const shell32 = koffi.load('shell32.dll');
  const ole32 = koffi.load('ole32.dll');
  const SHGetKnownFolderPath = shell32.func('__stdcall', 'SHGetKnownFolderPath', 'long', ['void *', 'uint32', 'void *', koffi.out(koffi.pointer('void *'))]);
  const CoTaskMemFree = ole32.func('__stdcall', 'CoTaskMemFree', 'void', ['void *']);
  const out: unknown[] = [null];
  const hresult = Number(SHGetKnownFolderPath(guidBytes(FOLDERID_PROGRAM_DATA), KF_FLAG_DONT_VERIFY, null, out));
  const pointer = out[0];
  try {
    if (hresult !== 0 || !pointer) throw new Error(`SHGetKnownFolderPath failed (HRESULT 0x${(hresult >>> 0).toString(16)})`);
    const path = koffi.decode(pointer, 'char16_t', -1) as string;
    if (!/^[A-Za-z]:\\|^\\\\/.test(path)) throw new Error(`SHGetKnownFolderPath gave an unexpected path: ${path.slice(0, 100)}`);
    cached = path;
    return path;
  } finally {
    if (pointer) CoTaskMemFree(pointer);
  }
}
