import { describe, expect, it } from 'vitest';
import { clipboardFormatName, isRegisteredFormat } from '../../../../../app/core/capture/win32/clipboardFormats.ts';
import { exeNameFromImagePath, formatWindowHandle } from '../../../../../app/core/capture/win32/clientIdentity.ts';
import { hasPasswordStyle, isEditClass, uiaControlIdentity, win32ControlIdentity } from '../../../../../app/core/capture/win32/controlIdentity.ts';
import { pickMainWindow } from '../../../../../app/core/capture/win32/mainWindow.ts';
import { asHandle, readPointerOut, toInt32 } from '../../../../../app/core/capture/win32/nativeValues.ts';
import { boundedUtf16, clipboardText, untilNul, utf16ToString } from '../../../../../app/core/capture/win32/utf16.ts';

const units = (text: string): Uint16Array => Uint16Array.from(text, (char) => char.charCodeAt(0));
const unitsOf = (text: string): Uint16Array => new Uint16Array([...text].flatMap((char) => Array.from({ length: char.length }, (_, i) => char.charCodeAt(i))));

describe('UTF-16 decoding', () => {
  it('stops at the first NUL of a Win32 buffer', () => {
    expect(utf16ToString(untilNul(units('Hi\0junk')))).toBe('Hi');
    expect(utf16ToString(untilNul(units('no terminator')))).toBe('no terminator');
    expect(untilNul(new Uint16Array(0))).toHaveLength(0);
  });

  it('bounds text to maxChars and says when it cut', () => {
    expect(boundedUtf16(units('Dear Dr'), 100)).toEqual({ text: 'Dear Dr', truncated: false });
    expect(boundedUtf16(units('Dear Dr'), 7)).toEqual({ text: 'Dear Dr', truncated: false });
    expect(boundedUtf16(units('Dear Dr'), 4)).toEqual({ text: 'Dear', truncated: true });
    expect(boundedUtf16(units('x'), 0)).toEqual({ text: '', truncated: true });
    expect(boundedUtf16(units('abc'), -3)).toEqual({ text: '', truncated: true });
  });

  it('never ends a cut text on half a surrogate pair', () => {
    const text = unitsOf('ab😀c');
    expect(text).toHaveLength(5);
    expect(boundedUtf16(text, 3)).toEqual({ text: 'ab', truncated: true });
    expect(boundedUtf16(text, 4)).toEqual({ text: 'ab😀', truncated: true });
  });

  it('decodes long texts (more than one chunk) exactly', () => {
    const long = 'é'.repeat(20_000) + '✓';
    expect(utf16ToString(unitsOf(long))).toBe(long);
  });
});

describe('clipboard text', () => {
  it('reads up to the NUL inside a larger global block', () => {
    expect(clipboardText(units('copied\0\0\0'), 9, 100)).toEqual({ text: 'copied', tooLarge: false });
  });

  it('flags text longer than maxChars as too large and keeps none of it', () => {
    // The caller reads at most maxChars + 1 units of a 1000-unit block.
    expect(clipboardText(units('abcdef'), 1000, 5)).toEqual({ text: null, tooLarge: true });
  });

  it('accepts text of exactly maxChars', () => {
    expect(clipboardText(units('abcde\0'), 1000, 5)).toEqual({ text: 'abcde', tooLarge: false });
  });

  it('takes a block without NUL up to its end', () => {
    expect(clipboardText(units('abc'), 3, 5)).toEqual({ text: 'abc', tooLarge: false });
    expect(clipboardText(new Uint16Array(0), 0, 5)).toEqual({ text: '', tooLarge: false });
  });
});

describe('clipboard format names', () => {
  it('names standard formats as in winuser.h', () => {
    expect(clipboardFormatName(1)).toBe('CF_TEXT');
    expect(clipboardFormatName(7)).toBe('CF_OEMTEXT');
    expect(clipboardFormatName(13)).toBe('CF_UNICODETEXT');
    expect(clipboardFormatName(15)).toBe('CF_HDROP');
    expect(clipboardFormatName(16)).toBe('CF_LOCALE');
    expect(clipboardFormatName(17)).toBe('CF_DIBV5');
    expect(clipboardFormatName(0x8e)).toBe('CF_DSPENHMETAFILE');
  });

  it('names registered formats by their registered name', () => {
    expect(isRegisteredFormat(0xc0f1)).toBe(true);
    expect(isRegisteredFormat(13)).toBe(false);
    expect(clipboardFormatName(0xc0f1, 'HTML Format')).toBe('HTML Format');
    expect(clipboardFormatName(0xc0f1, null)).toBe('#0xC0F1');
    // A standard id never takes a registered name.
    expect(clipboardFormatName(13, 'HTML Format')).toBe('CF_UNICODETEXT');
  });

  it('names private and GDI ranges by offset, unknown ids by number', () => {
    expect(clipboardFormatName(0x0203)).toBe('CF_PRIVATEFIRST+3');
    expect(clipboardFormatName(0x0300)).toBe('CF_GDIOBJFIRST+0');
    expect(clipboardFormatName(0x0099)).toBe('#0x0099');
  });
});

describe('client and control identity', () => {
  it('names the executable in lower case from a full image path', () => {
    expect(exeNameFromImagePath('C:\\Program Files (x86)\\EMIS\\EmisWeb.exe')).toBe('emisweb.exe');
    expect(exeNameFromImagePath('/opt/sim/client')).toBe('client');
    expect(exeNameFromImagePath('')).toBeNull();
    expect(exeNameFromImagePath(null)).toBeNull();
  });

  it('formats window handles as stable hex strings', () => {
    expect(formatWindowHandle(0xa0b2cn)).toBe('0x000A0B2C');
    expect(formatWindowHandle(0x1_0000_0002n)).toBe('0x100000002');
  });

  it('keys a Win32 control by class and control id', () => {
    expect(win32ControlIdentity('WindowsForms10.RichEdit20W.app.0.141b42a_r8_ad1', 1043)).toEqual({ key: 'WindowsForms10.RichEdit20W.app.0.141b42a_r8_ad1#1043', className: 'WindowsForms10.RichEdit20W.app.0.141b42a_r8_ad1' });
  });

  it('takes ES_PASSWORD as a password only on edit classes', () => {
    for (const className of ['Edit', 'RichEdit20W', 'RICHEDIT50W', 'WindowsForms10.EDIT.app.0.2bf8098_r6_ad1', 'WindowsForms10.RichEdit20W.app.0.141b42a_r8_ad1', 'TEdit', 'TMaskEdit', 'ThunderRT6TextBox']) {
      expect(isEditClass(className)).toBe(true);
      expect(hasPasswordStyle(className, 0x50010020)).toBe(true);
      expect(hasPasswordStyle(className, 0x50010000)).toBe(false);
    }
    // 0x20 is BS_LEFTTEXT on a button, something else again on a custom class.
    expect(hasPasswordStyle('Button', 0x20)).toBe(false);
    expect(hasPasswordStyle('EmisNoteEditorHost', 0x20)).toBe(false);
    expect(hasPasswordStyle('TEditor', 0x20)).toBe(false);
    expect(hasPasswordStyle('Chrome_RenderWidgetHostHWND', 0x20)).toBe(false);
  });

  it('keys a UI Automation element by AutomationId, or by its host window', () => {
    const host = { key: 'HwndWrapper#0', className: 'HwndWrapper' };
    expect(uiaControlIdentity({ automationId: 'ConsultationNote', className: 'RichTextBox', controlType: 50030 }, host)).toEqual({ key: 'ConsultationNote', className: 'RichTextBox' });
    expect(uiaControlIdentity({ automationId: '', className: '', controlType: 50030 }, host)).toEqual({ key: 'HwndWrapper#0', className: 'Document' });
    expect(uiaControlIdentity({ automationId: '', className: '', controlType: 1 }, host)).toEqual(host);
  });
});

describe('main window choice', () => {
  const window = (hwnd: bigint, visible: boolean, owned: boolean, area: number) => ({ hwnd, visible, owned, area });

  it('picks the largest visible unowned window', () => {
    expect(pickMainWindow([window(1n, true, false, 100), window(2n, true, false, 900_000), window(3n, true, true, 2_000_000), window(4n, false, false, 3_000_000)])?.hwnd).toBe(2n);
  });

  it('finds none among hidden or owned windows', () => {
    expect(pickMainWindow([window(1n, false, false, 10), window(2n, true, true, 10)])).toBeNull();
    expect(pickMainWindow([])).toBeNull();
  });

  it('still picks a minimised main window (area 0)', () => {
    expect(pickMainWindow([window(5n, true, false, 0)])?.hwnd).toBe(5n);
  });
});

describe('native value conversions', () => {
  it('treats null and 0n as NULL handles', () => {
    expect(asHandle(null)).toBeNull();
    expect(asHandle(0n)).toBeNull();
    expect(asHandle(0x10n)).toBe(0x10n);
    expect(asHandle(16)).toBeNull();
  });

  it('keeps the low 32 bits of LONG_PTR values, signed', () => {
    expect(toInt32(0x50010020)).toBe(0x50010020);
    expect(toInt32(0x1_9401_0000n)).toBe(-1811873792);
    expect(toInt32(-16)).toBe(-16);
  });

  it('reads pointers written through out parameters', () => {
    const out = Buffer.alloc(8);
    expect(readPointerOut(out)).toBeNull();
    out.writeBigUInt64LE(0x7ff6_1234_5678n);
    expect(readPointerOut(out)).toBe(0x7ff6_1234_5678n);
  });
});
