/**
 * Binds the declared Win32 functions to user32, kernel32, ole32, oleaut32 and advapi32, once per process.
 * Off Windows nothing is loaded: callers get a Win32UnavailableError that says what needed Windows,
 * rather than koffi's "cannot open shared object file" from deep inside a DLL load.
 */
import koffi from 'koffi';
import type { LibraryHandle } from 'koffi';
import { ADVAPI32, KERNEL32, OLE32, OLEAUT32, USER32 } from './win32Types.ts';
import type { NativeDeclaration } from './win32Types.ts';

export type NativeFunction = ReturnType<LibraryHandle['func']>;

export type Bound<T> = { readonly [K in keyof T]: NativeFunction };

export interface Win32Api {
  readonly user32: Bound<typeof USER32>;
  readonly kernel32: Bound<typeof KERNEL32>;
  readonly ole32: Bound<typeof OLE32>;
  readonly oleaut32: Bound<typeof OLEAUT32>;
  readonly advapi32: Bound<typeof ADVAPI32>;
}

export class Win32UnavailableError extends Error {
  constructor(feature: string, platform: string) {
    super(`${feature} needs Windows (this is ${platform})`);
    this.name = 'Win32UnavailableError';
  }
}

let bound: Win32Api | null = null;

export function loadWin32Api(feature: string, platform: NodeJS.Platform = process.platform): Win32Api {
  if (platform !== 'win32') throw new Win32UnavailableError(feature, platform);
  bound ??= {
    // 32-bit user32 has no GetWindowLongPtrW (the header maps it to GetWindowLongW there).
    user32: bindLibrary('user32.dll', USER32, process.arch === 'ia32' ? { GetWindowLongPtrW: 'GetWindowLongW' } : {}),
    kernel32: bindLibrary('kernel32.dll', KERNEL32),
    ole32: bindLibrary('ole32.dll', OLE32),
    oleaut32: bindLibrary('oleaut32.dll', OLEAUT32),
    advapi32: bindLibrary('advapi32.dll', ADVAPI32),
  };
  return bound;
}

export function bindLibrary<T extends Record<string, NativeDeclaration>>(dll: string, declarations: T, exportNames: Partial<Record<keyof T & string, string>> = {}): Bound<T> {
  let library: LibraryHandle;
  try {
    library = koffi.load(dll);
  } catch (error) {
    throw new Error(`cannot load ${dll}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const functions: Record<string, NativeFunction> = {};
  for (const [name, declaration] of Object.entries(declarations)) {
    functions[name] = library.func('__stdcall', exportNames[name as keyof T & string] ?? name, declaration.result, [...declaration.args]);
  }
  return functions as Bound<T>;
}
