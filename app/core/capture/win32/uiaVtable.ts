/**
 * Where the UI Automation methods we call sit in their COM vtables, and the ids and GUIDs they take.
 *
 * A vtable slot is the method's position in the interface declaration, counting the inherited methods
 * first: IUnknown's QueryInterface, AddRef, Release are 0, 1, 2. The orders below come from
 * UIAutomationClient.h (Windows SDK), as transcribed in retep998/winapi-rs src/um/uiautomationclient.rs
 * and wine include/uiautomationclient.idl, which agree. A wrong slot silently calls another method with
 * the wrong arguments, so tests/unit/capture/win32 recomputes every slot from those method lists.
 */

export const IUNKNOWN_SLOT = { QueryInterface: 0, AddRef: 1, Release: 2 } as const;

/** IUIAutomation : IUnknown. */
export const IUIAUTOMATION_SLOT = { GetFocusedElement: 8 } as const;

/** IUIAutomation2 : IUIAutomation (whose 55 methods end at slot 57). */
export const IUIAUTOMATION2_SLOT = { put_AutoSetFocus: 59, put_ConnectionTimeout: 61, put_TransactionTimeout: 63 } as const;

/** IUIAutomationElement : IUnknown. */
export const ELEMENT_SLOT = {
  GetCurrentPatternAs: 14,
  get_CurrentProcessId: 20,
  get_CurrentControlType: 21,
  get_CurrentAutomationId: 29,
  get_CurrentClassName: 30,
  get_CurrentIsPassword: 35,
} as const;

/** IUIAutomationValuePattern : IUnknown. */
export const VALUE_PATTERN_SLOT = { get_CurrentValue: 4 } as const;

/** IUIAutomationTextPattern : IUnknown. */
export const TEXT_PATTERN_SLOT = { get_DocumentRange: 7 } as const;

/** IUIAutomationTextRange : IUnknown. */
export const TEXT_RANGE_SLOT = { GetText: 12 } as const;

export const UIA_ValuePatternId = 10002;
export const UIA_TextPatternId = 10014;

/** CUIAutomation8 implements IUIAutomation2 (timeouts); CUIAutomation only IUIAutomation. */
export const CLSID_CUIAutomation8 = 'e22ad333-b25f-460c-83d0-0581107395c9';
export const CLSID_CUIAutomation = 'ff48dba4-60ef-4201-aa87-54103eef594e';
export const IID_IUIAutomation = '30cbe57d-d9d0-452a-ab13-7ac5ac4825ee';
export const IID_IUIAutomation2 = '34723aff-0c9d-49d0-9896-7ab52df8cd8a';
export const IID_IUIAutomationValuePattern = 'a94cd8b1-0844-4cd6-9d2d-640537ab39e9';
export const IID_IUIAutomationTextPattern = '32eba289-3583-42c9-9c59-3b6d9a1e9b6a';

/** UIA_*ControlTypeId (50000-50040), for the control label when the element has no class name. */
const CONTROL_TYPE_NAMES = [
  'Button', 'Calendar', 'CheckBox', 'ComboBox', 'Edit', 'Hyperlink', 'Image', 'ListItem', 'List', 'Menu',
  'MenuBar', 'MenuItem', 'ProgressBar', 'RadioButton', 'ScrollBar', 'Slider', 'Spinner', 'StatusBar', 'Tab', 'TabItem',
  'Text', 'ToolBar', 'ToolTip', 'Tree', 'TreeItem', 'Custom', 'Group', 'Thumb', 'DataGrid', 'DataItem',
  'Document', 'SplitButton', 'Window', 'Pane', 'Header', 'HeaderItem', 'Table', 'TitleBar', 'Separator', 'SemanticZoom',
  'AppBar',
] as const;

export const UIA_FIRST_CONTROL_TYPE_ID = 50000;

export function uiaControlTypeName(controlTypeId: number): string | null {
  return CONTROL_TYPE_NAMES[controlTypeId - UIA_FIRST_CONTROL_TYPE_ID] ?? null;
}
