/** The three Windows capture ports over one set of user32/kernel32/ole32 bindings. */
import type { ClipboardSource, ResponsivenessProbe, TextCaptureSource } from '../captureSource.ts';
import { createUiAutomation, oleautBstrFunctions } from './createUiAutomation.ts';
import { loadWin32Api } from './loadWin32Api.ts';
import { UiaFocusReader } from './uiAutomationReader.ts';
import { createWin32ClipboardCalls } from './win32ClipboardCalls.ts';
import { Win32ClipboardSource } from './win32ClipboardSource.ts';
import { Win32ResponsivenessProbe } from './win32ResponsivenessProbe.ts';
import { Win32TextCaptureSource } from './win32TextCaptureSource.ts';
import { createWin32Windows } from './win32Windows.ts';

export interface Win32Capture {
  text: TextCaptureSource;
  clipboard: ClipboardSource;
  probe: ResponsivenessProbe;
}

/** Throws Win32UnavailableError off Windows. */
export function createWin32Capture(): Win32Capture {
  const api = loadWin32Api('text capture, clipboard capture and the responsiveness probe through user32');
  const windows = createWin32Windows(api);
  const uia = new UiaFocusReader({ createAutomation: () => createUiAutomation(api), strings: oleautBstrFunctions(api) });
  return {
    text: new Win32TextCaptureSource({ windows, uia }),
    clipboard: new Win32ClipboardSource(createWin32ClipboardCalls(api, windows)),
    probe: new Win32ResponsivenessProbe(windows),
  };
}
