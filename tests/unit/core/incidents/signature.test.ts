import { describe, expect, it } from 'vitest';
import { exceptionSignature, normaliseSignature } from '../../../../app/core/incidents/signature.ts';

describe('normaliseSignature', () => {
  it('reduces a .NET exception with boilerplate message to its type', () => {
    expect(normaliseSignature("System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.")).toBe('System.OutOfMemoryException');
  });

  it('finds the exception inside a multi-line crash record', () => {
    const record = [
      '2026-01-05 09:00:00,123 [4242] FATAL EmisWeb.Shell.UnhandledExceptionHandler - EMIS Web has encountered a serious problem and needs to close.',
      "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.",
      '   at System.Collections.Generic.List`1.set_Capacity(Int32 value)',
    ].join('\r\n');
    expect(normaliseSignature(record)).toBe('System.OutOfMemoryException');
  });

  it('keeps a meaningful message with its variable parts masked', () => {
    const a = normaliseSignature('System.TimeoutException: Timeout after 30123 ms waiting for C:\\ProgramData\\EMIS\\cache\\journal.dat');
    const b = normaliseSignature('System.TimeoutException: Timeout after 29871 ms waiting for C:\\ProgramData\\EMIS\\cache\\other.dat');
    expect(a).toBe('System.TimeoutException: Timeout after <n> ms waiting for <path>');
    expect(b).toBe(a);
  });

  it('masks numbers, GUIDs, hex, times and paths in plain text so occurrences match', () => {
    expect(normaliseSignature('Timeout after 30123 ms')).toBe(normaliseSignature('Timeout after 29871 ms'));
    expect(
      normaliseSignature('2026-01-05 09:00:00,123 [4242] ERROR EmisWeb.Data.RequestBroker - Request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed at 0x7ffe4a2b reading /var/lib/emis/x.db'),
    ).toBe('EmisWeb.Data.RequestBroker - Request <guid> failed at <hex> reading <path>');
  });

  it('reads the exception from Event 1026 text and the code from Event 1000', () => {
    const dotnet = 'Application: EmisWeb.exe\nFramework Version: v4.0.30319\nDescription: The process was terminated due to an unhandled exception.\nException Info: System.OutOfMemoryException\n   at X.Y()';
    expect(normaliseSignature(dotnet)).toBe('System.OutOfMemoryException');
    expect(normaliseSignature('Faulting application name: EmisWeb.exe, version: 9.2.1.4410, Exception code: 0xE0434352')).toBe('exception code 0xe0434352');
  });

  it('does not take a handler class name for an exception type', () => {
    expect(exceptionSignature('FATAL EmisWeb.Shell.UnhandledExceptionHandler - EMIS Web has encountered a serious problem and needs to close.')).toBeNull();
  });

  it('caps long signatures', () => {
    expect(normaliseSignature('word '.repeat(200)).length).toBeLessThanOrEqual(160);
  });
});
