/**
 * COM calls through vtables, exercised on Linux against fake COM objects: real memory laid out as
 * COM lays it out (instance -> vtable -> function pointers), with koffi callbacks as the methods.
 * This runs the same slot arithmetic, `.async` worker calls, out-parameter reads and releases as
 * Windows does; only the methods behind the slots are ours.
 */
import koffi from 'koffi';
import type { TypeObject } from 'koffi';
import { afterEach, describe, expect, it } from 'vitest';
import { ComError, ComScope, callComMethod, comMethod, getInt32, getPointer, readBstr } from '../../../../../app/core/capture/win32/comInterop.ts';
import type { BstrFunctions } from '../../../../../app/core/capture/win32/comInterop.ts';
import { guidBytes } from '../../../../../app/core/capture/win32/comGuid.ts';
import { UiaFocusReader, readFocusedElement } from '../../../../../app/core/capture/win32/uiAutomationReader.ts';
import {
  ELEMENT_SLOT,
  IID_IUIAutomationTextPattern,
  IID_IUIAutomationValuePattern,
  IUIAUTOMATION_SLOT,
  IUNKNOWN_SLOT,
  TEXT_PATTERN_SLOT,
  TEXT_RANGE_SLOT,
  UIA_TextPatternId,
  UIA_ValuePatternId,
  VALUE_PATTERN_SLOT,
} from '../../../../../app/core/capture/win32/uiaVtable.ts';
import { COM_METHOD, PTR } from '../../../../../app/core/capture/win32/win32Types.ts';

type Method = (...args: unknown[]) => number;

const E_FAIL = 0x80004005 | 0;
const E_NOINTERFACE = 0x80004002 | 0;
const POINTER_SIZE = koffi.sizeof(PTR);

/** Fake COM objects and BSTRs in native memory, and a log of what was called, released and freed. */
class FakeComWorld {
  readonly calls: string[] = [];
  readonly releases = new Map<string, number>();
  readonly freed: string[] = [];
  private readonly names = new Map<bigint, string>();
  private readonly texts = new Map<bigint, string>();
  private readonly callbacks: bigint[] = [];
  private readonly blocks: bigint[] = [];

  readonly strings: BstrFunctions = {
    length: (bstr) => this.texts.get(bstr)?.length ?? 0,
    free: (bstr) => {
      this.freed.push(this.texts.get(bstr) ?? '?');
    },
  };

  object(name: string, methods: Record<number, [TypeObject, Method]>): bigint {
    const all: Record<number, [TypeObject, Method]> = {
      [IUNKNOWN_SLOT.Release]: [COM_METHOD.release, () => {
        this.releases.set(name, (this.releases.get(name) ?? 0) + 1);
        return 0;
      }],
      ...methods,
    };
    const slotCount = Math.max(...Object.keys(all).map(Number)) + 1;
    const vtable = this.alloc(slotCount * POINTER_SIZE);
    for (const [slot, [proto, method]] of Object.entries(all)) {
      const callback = koffi.register((...args: unknown[]) => {
        this.calls.push(`${name}.${slot}`);
        return method(...args);
      }, koffi.pointer(proto));
      this.callbacks.push(callback);
      koffi.encode(vtable, Number(slot) * POINTER_SIZE, PTR, callback);
    }
    const instance = this.alloc(POINTER_SIZE);
    koffi.encode(instance, PTR, vtable);
    this.names.set(instance, name);
    return instance;
  }

  bstr(text: string): bigint {
    const bstr = this.alloc((text.length + 1) * 2);
    if (text.length > 0) koffi.encode(bstr, koffi.types.uint16_t, Array.from(text, (char) => char.charCodeAt(0)), text.length);
    this.texts.set(bstr, text);
    return bstr;
  }

  dispose(): void {
    for (const callback of this.callbacks.splice(0)) koffi.unregister(callback);
    for (const block of this.blocks.splice(0)) koffi.free(block);
  }

  private alloc(bytes: number): bigint {
    const block = koffi.alloc(koffi.types.uint8_t, bytes) as bigint;
    koffi.encode(block, koffi.types.uint8_t, new Array<number>(bytes).fill(0), bytes);
    this.blocks.push(block);
    return block;
  }
}

const writePointer = (out: unknown, value: bigint | null): void => koffi.encode(out as bigint, koffi.types.uint64_t, value ?? 0n);
const writeInt = (out: unknown, value: number): void => koffi.encode(out as bigint, koffi.types.int32_t, value);
const getter = (write: (out: unknown) => void, hresult = 0): [TypeObject, Method] => [COM_METHOD.getter, (_self, out) => {
  write(out);
  return hresult;
}];

interface Scenario {
  pid?: number;
  isPassword?: number | 'fails';
  automationId?: string | null;
  className?: string;
  value?: string | null;
  document?: string | null;
  /** Pattern ids whose GetCurrentPatternAs fails instead of answering NULL. */
  failingPatterns?: number[];
}

/** IUIAutomation -> focused element -> Value/Text patterns -> document range, as a client would expose them. */
function uiaClient(world: FakeComWorld, scenario: Scenario): { automation: bigint; getTextLengths: number[] } {
  const getTextLengths: number[] = [];
  const range = world.object('range', {
    [TEXT_RANGE_SLOT.GetText]: [COM_METHOD.getText, (_self, maxLength, out) => {
      getTextLengths.push(maxLength as number);
      writePointer(out, world.bstr((scenario.document ?? '').slice(0, maxLength as number)));
      return 0;
    }],
  });
  const textPattern = world.object('textPattern', { [TEXT_PATTERN_SLOT.get_DocumentRange]: getter((out) => writePointer(out, range)) });
  const valuePattern = world.object('valuePattern', { [VALUE_PATTERN_SLOT.get_CurrentValue]: getter((out) => writePointer(out, world.bstr(scenario.value ?? ''))) });
  const patterns: Record<number, { iid: Buffer; iface: bigint | null }> = {
    [UIA_ValuePatternId]: { iid: guidBytes(IID_IUIAutomationValuePattern), iface: scenario.value === undefined || scenario.value === null ? null : valuePattern },
    [UIA_TextPatternId]: { iid: guidBytes(IID_IUIAutomationTextPattern), iface: scenario.document === undefined || scenario.document === null ? null : textPattern },
  };
  const element = world.object('element', {
    [ELEMENT_SLOT.get_CurrentProcessId]: getter((out) => writeInt(out, scenario.pid ?? 4312)),
    [ELEMENT_SLOT.get_CurrentControlType]: getter((out) => writeInt(out, 50030)),
    [ELEMENT_SLOT.get_CurrentAutomationId]: getter((out) => writePointer(out, scenario.automationId === null ? null : world.bstr(scenario.automationId ?? 'NoteBox'))),
    [ELEMENT_SLOT.get_CurrentClassName]: getter((out) => writePointer(out, world.bstr(scenario.className ?? 'RichTextBox'))),
    [ELEMENT_SLOT.get_CurrentIsPassword]: scenario.isPassword === 'fails' ? getter(() => undefined, E_FAIL) : getter((out) => writeInt(out, scenario.isPassword === 'fails' ? 0 : (scenario.isPassword ?? 0))),
    [ELEMENT_SLOT.GetCurrentPatternAs]: [COM_METHOD.getPatternAs, (_self, patternId, riid, out) => {
      if (scenario.failingPatterns?.includes(patternId as number)) return E_FAIL;
      const pattern = patterns[patternId as number];
      const askedIid = Buffer.from(koffi.decode(riid as bigint, koffi.types.uint8_t, 16) as Uint8Array);
      if (!pattern || !askedIid.equals(pattern.iid)) return E_NOINTERFACE;
      writePointer(out, pattern.iface);
      return 0;
    }],
  });
  const automation = world.object('automation', { [IUIAUTOMATION_SLOT.GetFocusedElement]: getter((out) => writePointer(out, element)) });
  return { automation, getTextLengths };
}

let world: FakeComWorld;
afterEach(() => world.dispose());

describe('calling COM methods through vtables', () => {
  it('calls the method in the requested slot, on a worker, with the interface pointer first', async () => {
    world = new FakeComWorld();
    let receivedSelf: unknown = null;
    const object = world.object('object', {
      3: getter((out) => writeInt(out, 3)),
      5: [COM_METHOD.putDword, (self, value) => {
        receivedSelf = self;
        return (value as number) + 1;
      }],
    });
    expect(await callComMethod(object, 5, COM_METHOD.putDword, 41)).toBe(42);
    expect(receivedSelf).toBe(object);
    expect(await getInt32(object, 3, 'get_Three')).toBe(3);
    expect(world.calls).toEqual(['object.5', 'object.3']);
    expect(comMethod(object, 5, COM_METHOD.putDword)).toBe(comMethod(object, 5, COM_METHOD.putDword));
  });

  it('turns failed HRESULTs into ComError and NULL out pointers into null', async () => {
    world = new FakeComWorld();
    const object = world.object('object', { 3: getter(() => undefined, E_FAIL), 4: getter((out) => writePointer(out, null)) });
    await expect(getPointer(object, 3, 'get_Broken')).rejects.toThrow(new ComError('get_Broken', E_FAIL));
    await expect(getPointer(object, 3, 'get_Broken')).rejects.toThrow(/HRESULT 0x80004005/);
    expect(await getPointer(object, 4, 'get_Nothing')).toBeNull();
  });

  it('reads BSTRs by their length, bounded by maxChars', () => {
    world = new FakeComWorld();
    expect(readBstr(world.bstr('Dear Dr Patel'), world.strings, 100)).toEqual({ text: 'Dear Dr Patel', truncated: false });
    expect(readBstr(world.bstr('Dear Dr Patel'), world.strings, 4)).toEqual({ text: 'Dear', truncated: true });
    expect(readBstr(world.bstr(''), world.strings, 4)).toEqual({ text: '', truncated: false });
  });

  it('frees the strings and releases the interfaces a scope adopted, last first', async () => {
    world = new FakeComWorld();
    const first = world.object('first', {});
    const second = world.object('second', {});
    const scope = new ComScope(world.strings);
    scope.adopt(first);
    scope.adopt(null);
    scope.adopt(second);
    scope.adoptString(world.bstr('id'));
    await scope.close();
    expect(world.calls).toEqual(['second.2', 'first.2']);
    expect(world.freed).toEqual(['id']);
    await scope.close();
    expect(world.calls).toHaveLength(2);
  });
});

describe('reading the focused element through UI Automation', () => {
  it('reads the Value pattern and gives back everything it obtained', async () => {
    world = new FakeComWorld();
    const { automation } = uiaClient(world, { value: 'Dear Dr Patel', document: 'unused' });
    const reading = await readFocusedElement(automation, 4312, 100, world.strings);
    expect(reading).toEqual({ kind: 'text', identity: { automationId: 'NoteBox', className: 'RichTextBox', controlType: 50030 }, text: 'Dear Dr Patel', truncated: false, via: 'uia-value' });
    expect(Object.fromEntries(world.releases)).toEqual({ element: 1, valuePattern: 1 });
    expect(world.freed.sort()).toEqual(['Dear Dr Patel', 'NoteBox', 'RichTextBox']);
    expect(world.calls).not.toContain(`textPattern.${TEXT_PATTERN_SLOT.get_DocumentRange}`);
  });

  it('never asks a password element for its value', async () => {
    world = new FakeComWorld();
    const { automation } = uiaClient(world, { isPassword: 1, value: 'hunter2' });
    const reading = await readFocusedElement(automation, 4312, 100, world.strings);
    expect(reading).toMatchObject({ kind: 'password', identity: { automationId: 'NoteBox' } });
    expect(world.calls).not.toContain(`element.${ELEMENT_SLOT.GetCurrentPatternAs}`);
    expect(world.calls.some((call) => call.startsWith('valuePattern.'))).toBe(false);
    expect(world.freed).not.toContain('hunter2');
    expect(world.releases.get('element')).toBe(1);
  });

  it('reads nothing when the provider cannot say whether it is a password field', async () => {
    world = new FakeComWorld();
    const { automation } = uiaClient(world, { isPassword: 'fails', value: 'hunter2' });
    await expect(readFocusedElement(automation, 4312, 100, world.strings)).rejects.toThrow(ComError);
    expect(world.calls).not.toContain(`element.${ELEMENT_SLOT.GetCurrentPatternAs}`);
    expect(world.releases.get('element')).toBe(1);
  });

  it('falls back to the Text pattern and asks one character past the budget', async () => {
    world = new FakeComWorld();
    const { automation, getTextLengths } = uiaClient(world, { value: null, document: 'Presenting complaint: cough' });
    expect(await readFocusedElement(automation, 4312, 10, world.strings)).toMatchObject({ kind: 'text', text: 'Presenting', truncated: true, via: 'uia-text' });
    expect(getTextLengths).toEqual([11]);
    expect(Object.fromEntries(world.releases)).toEqual({ element: 1, textPattern: 1, range: 1 });

    expect(await readFocusedElement(automation, 4312, 27, world.strings)).toMatchObject({ text: 'Presenting complaint: cough', truncated: false });
  });

  it('tries the Text pattern when the provider fails the Value pattern request', async () => {
    world = new FakeComWorld();
    const { automation } = uiaClient(world, { value: 'hidden', document: 'Plan', failingPatterns: [UIA_ValuePatternId] });
    expect(await readFocusedElement(automation, 4312, 100, world.strings)).toMatchObject({ kind: 'text', text: 'Plan', via: 'uia-text' });
  });

  it('prefers a non-empty document to an empty Value', async () => {
    world = new FakeComWorld();
    const { automation } = uiaClient(world, { value: '', document: 'text' });
    expect(await readFocusedElement(automation, 4312, 100, world.strings)).toMatchObject({ text: 'text', via: 'uia-text' });
    world.dispose();
    world = new FakeComWorld();
    const empty = uiaClient(world, { value: '' });
    expect(await readFocusedElement(empty.automation, 4312, 100, world.strings)).toMatchObject({ kind: 'text', text: '', via: 'uia-value' });
  });

  it('reports an element without patterns, and an element of another process', async () => {
    world = new FakeComWorld();
    const bare = uiaClient(world, { automationId: null });
    expect(await readFocusedElement(bare.automation, 4312, 100, world.strings)).toMatchObject({ kind: 'no-text', identity: { automationId: '' } });
    const other = uiaClient(world, { pid: 999, value: 'not ours' });
    expect(await readFocusedElement(other.automation, 4312, 100, world.strings)).toEqual({ kind: 'elsewhere' });
    expect(world.freed).not.toContain('not ours');
  });
});

describe('UiaFocusReader', () => {
  it('creates the automation object once and releases it on close', async () => {
    world = new FakeComWorld();
    const { automation } = uiaClient(world, { value: 'x' });
    let created = 0;
    const reader = new UiaFocusReader({ createAutomation: async () => (created += 1, automation), strings: world.strings });
    expect(await reader.readFocused(4312, 10)).toMatchObject({ kind: 'text', text: 'x' });
    expect(await reader.readFocused(4312, 10)).toMatchObject({ kind: 'text', text: 'x' });
    expect(created).toBe(1);
    reader.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(world.releases.get('automation')).toBe(1);
    expect(await reader.readFocused(4312, 10)).toMatchObject({ kind: 'unavailable' });
  });

  it('reports UI Automation unavailable, and tries to create it again next time', async () => {
    world = new FakeComWorld();
    let attempts = 0;
    const reader = new UiaFocusReader({
      createAutomation: () => {
        attempts += 1;
        return Promise.reject(new ComError('CoCreateInstance(CUIAutomation)', E_FAIL));
      },
      strings: world.strings,
    });
    expect(await reader.readFocused(1, 10)).toEqual({ kind: 'unavailable', reason: 'UI Automation is not available: CoCreateInstance(CUIAutomation) failed (HRESULT 0x80004005)' });
    await reader.readFocused(1, 10);
    expect(attempts).toBe(2);
  });

  it('turns a failing provider into an unavailable reading, and does not pile reads behind a slow one', async () => {
    world = new FakeComWorld();
    const failing = uiaClient(world, { isPassword: 'fails' });
    const reader = new UiaFocusReader({ createAutomation: async () => failing.automation, strings: world.strings });
    const first = reader.readFocused(4312, 10);
    expect(await reader.readFocused(4312, 10)).toEqual({ kind: 'unavailable', reason: 'a previous UI Automation read is still waiting on the client' });
    expect(await first).toMatchObject({ kind: 'unavailable', reason: expect.stringMatching(/get_CurrentIsPassword failed/) });
  });
});
