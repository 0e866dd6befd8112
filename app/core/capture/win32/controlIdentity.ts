/**
 * Which control has the focus, named without its content: the key must stay the same while the
 * window lives (so readings of the same field line up) and must never carry what the user typed.
 */
import type { ControlIdentity } from '../captureSource.ts';
import { ES_PASSWORD } from './win32Constants.ts';
import { uiaControlTypeName } from './uiaVtable.ts';

export function win32ControlIdentity(className: string, controlId: number): ControlIdentity {
  return { key: `${className}#${controlId}`, className };
}

/**
 * The system Edit and RichEdit classes and their superclasses (WinForms, Delphi VCL, VB6): the classes
 * that honour ES_PASSWORD and EM_GETPASSWORDCHAR. In any other class the same style bit means
 * something else, and an unknown message must not be sent.
 */
const EDIT_CLASS = /^(edit|richedit\w*|windowsforms10\.(edit|richedit\w*)\..*|t\w*edit|thunder\w*textbox)$/i;

export function isEditClass(className: string): boolean {
  return EDIT_CLASS.test(className);
}

export function hasPasswordStyle(className: string, style: number): boolean {
  return isEditClass(className) && (style & ES_PASSWORD) !== 0;
}

/** What UI Automation says about the focused element; none of it is the element's text. */
export interface UiaElementIdentity {
  automationId: string;
  className: string;
  controlType: number;
}

/**
 * The AutomationId when the provider sets one; otherwise the window-based identity of the focused
 * HWND the element lives in, which is just as stable.
 */
export function uiaControlIdentity(element: UiaElementIdentity, hostWindow: ControlIdentity): ControlIdentity {
  const className = element.className || uiaControlTypeName(element.controlType) || hostWindow.className;
  const key = element.automationId ? element.automationId : hostWindow.key;
  return { key, className };
}
