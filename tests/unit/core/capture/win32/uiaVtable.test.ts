import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { guidBytes } from '../../../../../app/core/capture/win32/comGuid.ts';
import * as uia from '../../../../../app/core/capture/win32/uiaVtable.ts';
import { GUID } from '../../../../../app/core/capture/win32/win32Types.ts';

/**
 * Method order of each interface as declared in UIAutomationClient.h (Windows SDK); copied from
 * wine include/uiautomationclient.idl and retep998/winapi-rs src/um/uiautomationclient.rs, which
 * agree. Property getters/putters are the get_/put_ methods MIDL generates, in declaration order.
 */
const IUNKNOWN = ['QueryInterface', 'AddRef', 'Release'];

const IUIAUTOMATION = [
  'CompareElements', 'CompareRuntimeIds', 'GetRootElement', 'ElementFromHandle', 'ElementFromPoint', 'GetFocusedElement',
  'GetRootElementBuildCache', 'ElementFromHandleBuildCache', 'ElementFromPointBuildCache', 'GetFocusedElementBuildCache',
  'CreateTreeWalker', 'get_ControlViewWalker', 'get_ContentViewWalker', 'get_RawViewWalker', 'get_RawViewCondition',
  'get_ControlViewCondition', 'get_ContentViewCondition', 'CreateCacheRequest', 'CreateTrueCondition', 'CreateFalseCondition',
  'CreatePropertyCondition', 'CreatePropertyConditionEx', 'CreateAndCondition', 'CreateAndConditionFromArray',
  'CreateAndConditionFromNativeArray', 'CreateOrCondition', 'CreateOrConditionFromArray', 'CreateOrConditionFromNativeArray',
  'CreateNotCondition', 'AddAutomationEventHandler', 'RemoveAutomationEventHandler', 'AddPropertyChangedEventHandlerNativeArray',
  'AddPropertyChangedEventHandler', 'RemovePropertyChangedEventHandler', 'AddStructureChangedEventHandler',
  'RemoveStructureChangedEventHandler', 'AddFocusChangedEventHandler', 'RemoveFocusChangedEventHandler', 'RemoveAllEventHandlers',
  'IntNativeArrayToSafeArray', 'IntSafeArrayToNativeArray', 'RectToVariant', 'VariantToRect', 'SafeArrayToRectNativeArray',
  'CreateProxyFactoryEntry', 'get_ProxyFactoryMapping', 'GetPropertyProgrammaticName', 'GetPatternProgrammaticName',
  'PollForPotentialSupportedPatterns', 'PollForPotentialSupportedProperties', 'CheckNotSupported',
  'get_ReservedNotSupportedValue', 'get_ReservedMixedAttributeValue', 'ElementFromIAccessible', 'ElementFromIAccessibleBuildCache',
];

const IUIAUTOMATION2 = ['get_AutoSetFocus', 'put_AutoSetFocus', 'get_ConnectionTimeout', 'put_ConnectionTimeout', 'get_TransactionTimeout', 'put_TransactionTimeout'];

const IUIAUTOMATION_ELEMENT = [
  'SetFocus', 'GetRuntimeId', 'FindFirst', 'FindAll', 'FindFirstBuildCache', 'FindAllBuildCache', 'BuildUpdatedCache',
  'GetCurrentPropertyValue', 'GetCurrentPropertyValueEx', 'GetCachedPropertyValue', 'GetCachedPropertyValueEx',
  'GetCurrentPatternAs', 'GetCachedPatternAs', 'GetCurrentPattern', 'GetCachedPattern', 'GetCachedParent', 'GetCachedChildren',
  'get_CurrentProcessId', 'get_CurrentControlType', 'get_CurrentLocalizedControlType', 'get_CurrentName',
  'get_CurrentAcceleratorKey', 'get_CurrentAccessKey', 'get_CurrentHasKeyboardFocus', 'get_CurrentIsKeyboardFocusable',
  'get_CurrentIsEnabled', 'get_CurrentAutomationId', 'get_CurrentClassName', 'get_CurrentHelpText', 'get_CurrentCulture',
  'get_CurrentIsControlElement', 'get_CurrentIsContentElement', 'get_CurrentIsPassword', 'get_CurrentNativeWindowHandle',
];

const IUIAUTOMATION_VALUE_PATTERN = ['SetValue', 'get_CurrentValue', 'get_CurrentIsReadOnly', 'get_CachedValue', 'get_CachedIsReadOnly'];
const IUIAUTOMATION_TEXT_PATTERN = ['RangeFromPoint', 'RangeFromChild', 'GetSelection', 'GetVisibleRanges', 'get_DocumentRange', 'get_SupportedTextSelection'];
const IUIAUTOMATION_TEXT_RANGE = [
  'Clone', 'Compare', 'CompareEndpoints', 'ExpandToEnclosingUnit', 'FindAttribute', 'FindText', 'GetAttributeValue',
  'GetBoundingRectangles', 'GetEnclosingElement', 'GetText', 'Move', 'MoveEndpointByUnit', 'MoveEndpointByRange',
];

/** Slot of every method of an interface whose inheritance chain is given base first. */
function slotsOf(...chain: string[][]): Map<string, number> {
  return new Map(chain.flat().map((method, slot) => [method, slot]));
}

function expectSlots(table: Record<string, number>, slots: Map<string, number>): void {
  for (const [method, slot] of Object.entries(table)) expect({ method, slot }).toEqual({ method, slot: slots.get(method) });
}

describe('UI Automation vtable slots', () => {
  it('IUIAutomation declares 55 methods, so IUIAutomation2 starts at slot 58', () => {
    expect(IUIAUTOMATION).toHaveLength(55);
    expect(slotsOf(IUNKNOWN, IUIAUTOMATION, IUIAUTOMATION2).get('get_AutoSetFocus')).toBe(58);
  });

  it('match the header order for every interface we call', () => {
    expectSlots(uia.IUNKNOWN_SLOT, slotsOf(IUNKNOWN));
    expectSlots(uia.IUIAUTOMATION_SLOT, slotsOf(IUNKNOWN, IUIAUTOMATION));
    expectSlots(uia.IUIAUTOMATION2_SLOT, slotsOf(IUNKNOWN, IUIAUTOMATION, IUIAUTOMATION2));
    expectSlots(uia.ELEMENT_SLOT, slotsOf(IUNKNOWN, IUIAUTOMATION_ELEMENT));
    expectSlots(uia.VALUE_PATTERN_SLOT, slotsOf(IUNKNOWN, IUIAUTOMATION_VALUE_PATTERN));
    expectSlots(uia.TEXT_PATTERN_SLOT, slotsOf(IUNKNOWN, IUIAUTOMATION_TEXT_PATTERN));
    expectSlots(uia.TEXT_RANGE_SLOT, slotsOf(IUNKNOWN, IUIAUTOMATION_TEXT_RANGE));
  });

  it('agree with the slots other UIA clients use (GetFocusedElement 8, TransactionTimeout 63)', () => {
    expect(uia.IUIAUTOMATION_SLOT.GetFocusedElement).toBe(8);
    expect(uia.IUIAUTOMATION2_SLOT.put_TransactionTimeout).toBe(63);
    expect(uia.ELEMENT_SLOT.get_CurrentIsPassword).toBe(35);
  });
});

describe('UI Automation ids and GUIDs', () => {
  it('uses the documented pattern ids', () => {
    expect(uia.UIA_ValuePatternId).toBe(10002);
    expect(uia.UIA_TextPatternId).toBe(10014);
  });

  it('names control types from the UIA_*ControlTypeId table', () => {
    expect(uia.uiaControlTypeName(50000)).toBe('Button');
    expect(uia.uiaControlTypeName(50004)).toBe('Edit');
    expect(uia.uiaControlTypeName(50020)).toBe('Text');
    expect(uia.uiaControlTypeName(50030)).toBe('Document');
    expect(uia.uiaControlTypeName(50033)).toBe('Pane');
    expect(uia.uiaControlTypeName(50040)).toBe('AppBar');
    expect(uia.uiaControlTypeName(50041)).toBeNull();
    expect(uia.uiaControlTypeName(0)).toBeNull();
  });

  it('encodes GUIDs the way the GUID struct lays them out', () => {
    const expected = Buffer.alloc(16);
    koffi.encode(expected, GUID, { Data1: 0x30cbe57d, Data2: 0xd9d0, Data3: 0x452a, Data4: [0xab, 0x13, 0x7a, 0xc5, 0xac, 0x48, 0x25, 0xee] });
    expect(guidBytes(uia.IID_IUIAutomation)).toEqual(expected);
    expect(guidBytes(`{${uia.IID_IUIAutomation.toUpperCase()}}`)).toEqual(expected);
    expect(guidBytes(uia.CLSID_CUIAutomation8).toString('hex')).toBe('33d32ae25fb20c4683d00581107395c9');
    expect(() => guidBytes('not-a-guid')).toThrow(/not a GUID/);
  });

  it('has well-formed GUIDs for every class and interface', () => {
    for (const guid of [uia.CLSID_CUIAutomation, uia.CLSID_CUIAutomation8, uia.IID_IUIAutomation, uia.IID_IUIAutomation2, uia.IID_IUIAutomationValuePattern, uia.IID_IUIAutomationTextPattern]) {
      expect(guidBytes(guid)).toHaveLength(16);
    }
  });
});
