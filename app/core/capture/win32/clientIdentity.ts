/** How the foreground client is named in a reading: its executable and its top-level window. */

/** "C:\Program Files\EMIS\EmisWeb.exe" -> "emisweb.exe", the form processNames are given in. */
export function exeNameFromImagePath(imagePath: string | null): string | null {
  if (imagePath === null) return null;
  const name = imagePath.split(/[\\/]/).pop()?.trim().toLowerCase() ?? '';
  return name === '' ? null : name;
}

/** An HWND as an opaque, stable string ("0x000A0B2C"); handle values are only meaningful to Windows. */
export function formatWindowHandle(hwnd: bigint): string {
  return `0x${hwnd.toString(16).toUpperCase().padStart(8, '0')}`;
}
