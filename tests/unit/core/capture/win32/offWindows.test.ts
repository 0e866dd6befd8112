import { describe, expect, it } from 'vitest';
import { createWin32Capture } from '../../../../../app/core/capture/win32/createWin32Capture.ts';
import { Win32UnavailableError, loadWin32Api } from '../../../../../app/core/capture/win32/loadWin32Api.ts';
import { Win32ClipboardSource } from '../../../../../app/core/capture/win32/win32ClipboardSource.ts';
import { Win32ResponsivenessProbe } from '../../../../../app/core/capture/win32/win32ResponsivenessProbe.ts';
import { Win32TextCaptureSource } from '../../../../../app/core/capture/win32/win32TextCaptureSource.ts';

function refusal(create: () => unknown): Win32UnavailableError {
  try {
    create();
  } catch (error) {
    if (error instanceof Win32UnavailableError) return error;
    throw error;
  }
  throw new Error('expected Win32UnavailableError');
}

describe.skipIf(process.platform === 'win32')('off Windows', () => {
  it('loadWin32Api refuses with a clear error instead of trying to load user32.dll', () => {
    const error = refusal(() => loadWin32Api('text capture through user32'));
    expect(error.name).toBe('Win32UnavailableError');
    expect(error.message).toBe(`text capture through user32 needs Windows (this is ${process.platform})`);
    expect(error.message).not.toMatch(/shared library|\.so|dlopen|koffi/i);
  });

  it('refuses for any non-Windows platform it is told about', () => {
    expect(refusal(() => loadWin32Api('the probe', 'darwin')).message).toBe('the probe needs Windows (this is darwin)');
  });

  it.each([
    ['Win32TextCaptureSource', () => new Win32TextCaptureSource(), /^text capture through user32 needs Windows/],
    ['Win32ClipboardSource', () => new Win32ClipboardSource(), /^clipboard capture through user32 needs Windows/],
    ['Win32ResponsivenessProbe', () => new Win32ResponsivenessProbe(), /^the responsiveness probe through user32 needs Windows/],
    ['createWin32Capture', () => createWin32Capture(), /needs Windows/],
  ])('%s refuses cleanly', (_name, create, message) => {
    const error = refusal(create);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(message);
    expect(error.stack ?? '').not.toMatch(/koffi/);
  });
});
