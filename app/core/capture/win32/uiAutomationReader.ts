/**
 * The UI Automation fallback: the text of the focused element when its window does not answer
 * WM_GETTEXT (custom editors, WPF, browser-based controls). Read only: getters and patterns'
 * Current* properties, never SetFocus, SetValue or Select.
 */
import { ComError, ComScope, callComMethod, getInt32, getPointer, readBstr, release } from './comInterop.ts';
import type { BstrFunctions } from './comInterop.ts';
import { guidBytes } from './comGuid.ts';
import type { UiaElementIdentity } from './controlIdentity.ts';
import { readPointerOut } from './nativeValues.ts';
import type { BoundedText } from './utf16.ts';
import {
  ELEMENT_SLOT,
  IID_IUIAutomationTextPattern,
  IID_IUIAutomationValuePattern,
  IUIAUTOMATION_SLOT,
  TEXT_PATTERN_SLOT,
  TEXT_RANGE_SLOT,
  UIA_TextPatternId,
  UIA_ValuePatternId,
  VALUE_PATTERN_SLOT,
} from './uiaVtable.ts';
import { COM_METHOD } from './win32Types.ts';

export type UiaReading =
  | { kind: 'unavailable'; reason: string }
  /** The focused element belongs to another process: focus moved since the foreground check. */
  | { kind: 'elsewhere' }
  | { kind: 'password'; identity: UiaElementIdentity }
  | { kind: 'no-text'; identity: UiaElementIdentity; reason: string }
  | { kind: 'text'; identity: UiaElementIdentity; text: string; truncated: boolean; via: 'uia-value' | 'uia-text' };

export interface FocusedElementReader {
  readFocused(pid: number, maxChars: number): Promise<UiaReading>;
  close(): void;
}

/** AutomationIds and class names are identifiers; longer ones are cut so no content rides along. */
const IDENTIFIER_CHARS = 256;
const INT_MAX = 0x7fffffff;

const IID_VALUE_PATTERN = guidBytes(IID_IUIAutomationValuePattern);
const IID_TEXT_PATTERN = guidBytes(IID_IUIAutomationTextPattern);

export interface UiaFocusReaderOptions {
  /** Creates the IUIAutomation object (see createUiAutomation.ts); called again after a failure. */
  createAutomation(): Promise<bigint>;
  strings: BstrFunctions;
}

export class UiaFocusReader implements FocusedElementReader {
  private readonly createAutomation: () => Promise<bigint>;
  private readonly strings: BstrFunctions;
  private automation: Promise<bigint> | null = null;
  private busy = false;
  private closed = false;

  constructor(options: UiaFocusReaderOptions) {
    this.createAutomation = options.createAutomation;
    this.strings = options.strings;
  }

  async readFocused(pid: number, maxChars: number): Promise<UiaReading> {
    if (this.closed) return { kind: 'unavailable', reason: 'UI Automation reader is closed' };
    // A read still waiting on a slow provider holds a worker thread; do not queue more behind it.
    if (this.busy) return { kind: 'unavailable', reason: 'a previous UI Automation read is still waiting on the client' };
    this.busy = true;
    try {
      let automation: bigint;
      try {
        automation = await this.session();
      } catch (error) {
        this.automation = null;
        return { kind: 'unavailable', reason: `UI Automation is not available: ${describe(error)}` };
      }
      return await readFocusedElement(automation, pid, maxChars, this.strings);
    } catch (error) {
      return { kind: 'unavailable', reason: `UI Automation failed: ${describe(error)}` };
    } finally {
      this.busy = false;
      if (this.closed) this.releaseAutomation();
    }
  }

  close(): void {
    this.closed = true;
    if (!this.busy) this.releaseAutomation();
  }

  private session(): Promise<bigint> {
    this.automation ??= this.createAutomation();
    return this.automation;
  }

  private releaseAutomation(): void {
    const automation = this.automation;
    this.automation = null;
    automation?.then((iface) => release(iface)).catch(() => undefined);
  }
}

export async function readFocusedElement(automation: bigint, pid: number, maxChars: number, strings: BstrFunctions): Promise<UiaReading> {
  const scope = new ComScope(strings);
  try {
    const element = scope.adopt(await getPointer(automation, IUIAUTOMATION_SLOT.GetFocusedElement, 'IUIAutomation::GetFocusedElement'));
    if (element === null) return { kind: 'unavailable', reason: 'UI Automation reports no focused element' };
    if ((await getInt32(element, ELEMENT_SLOT.get_CurrentProcessId, 'get_CurrentProcessId')) !== pid) return { kind: 'elsewhere' };

    const identity: UiaElementIdentity = {
      automationId: await getString(scope, element, ELEMENT_SLOT.get_CurrentAutomationId, 'get_CurrentAutomationId', strings),
      className: await getString(scope, element, ELEMENT_SLOT.get_CurrentClassName, 'get_CurrentClassName', strings),
      controlType: await getInt32(element, ELEMENT_SLOT.get_CurrentControlType, 'get_CurrentControlType'),
    };
    // Asked before any text; if the provider cannot answer, getInt32 throws and nothing is read.
    if ((await getInt32(element, ELEMENT_SLOT.get_CurrentIsPassword, 'get_CurrentIsPassword')) !== 0) return { kind: 'password', identity };

    const value = await valuePatternText(scope, element, maxChars, strings);
    if (value !== null && value.text !== '') return { kind: 'text', identity, ...value, via: 'uia-value' };
    const document = await textPatternText(scope, element, maxChars, strings);
    if (document !== null) return { kind: 'text', identity, ...document, via: 'uia-text' };
    if (value !== null) return { kind: 'text', identity, ...value, via: 'uia-value' };
    return { kind: 'no-text', identity, reason: 'the focused element has neither a Value nor a Text pattern' };
  } finally {
    await scope.close();
  }
}

async function getString(scope: ComScope, iface: bigint, slot: number, method: string, strings: BstrFunctions): Promise<string> {
  const bstr = scope.adoptString(await getPointer(iface, slot, method));
  return bstr === null ? '' : readBstr(bstr, strings, IDENTIFIER_CHARS).text;
}

/**
 * The pattern interface itself (GetCurrentPatternAs), or null when the element does not support it.
 * UIA answers S_OK with NULL for that, but some providers fail instead: either way the next pattern
 * is worth trying.
 */
async function currentPattern(scope: ComScope, element: bigint, patternId: number, iid: Buffer): Promise<bigint | null> {
  const out = Buffer.alloc(8);
  const hresult = await callComMethod(element, ELEMENT_SLOT.GetCurrentPatternAs, COM_METHOD.getPatternAs, patternId, iid, out);
  return hresult < 0 ? null : scope.adopt(readPointerOut(out));
}

async function valuePatternText(scope: ComScope, element: bigint, maxChars: number, strings: BstrFunctions): Promise<BoundedText | null> {
  const pattern = await currentPattern(scope, element, UIA_ValuePatternId, IID_VALUE_PATTERN);
  if (pattern === null) return null;
  const bstr = scope.adoptString(await getPointer(pattern, VALUE_PATTERN_SLOT.get_CurrentValue, 'ValuePattern::get_CurrentValue'));
  return bstr === null ? { text: '', truncated: false } : readBstr(bstr, strings, maxChars);
}

async function textPatternText(scope: ComScope, element: bigint, maxChars: number, strings: BstrFunctions): Promise<BoundedText | null> {
  const pattern = await currentPattern(scope, element, UIA_TextPatternId, IID_TEXT_PATTERN);
  if (pattern === null) return null;
  const range = scope.adopt(await getPointer(pattern, TEXT_PATTERN_SLOT.get_DocumentRange, 'TextPattern::get_DocumentRange'));
  if (range === null) return null;
  const out = Buffer.alloc(8);
  // One character past the budget, so a document of exactly maxChars is not reported as cut.
  const maxLength = Math.min(INT_MAX, Math.max(0, Math.floor(maxChars)) + 1);
  const hresult = await callComMethod(range, TEXT_RANGE_SLOT.GetText, COM_METHOD.getText, maxLength, out);
  if (hresult < 0) throw new ComError('TextRange::GetText', hresult);
  const bstr = scope.adoptString(readPointerOut(out));
  return bstr === null ? { text: '', truncated: false } : readBstr(bstr, strings, maxChars);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
