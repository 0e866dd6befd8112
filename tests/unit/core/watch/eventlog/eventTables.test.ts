import { describe, expect, it } from 'vitest';
import { classifyHead } from '../../../../../app/core/scan/detectArtefact.ts';
import { eventVerdict } from '../../../../../app/core/watch/eventlog/eventSignal.ts';
import { parseEventCsv, parseEventJson } from '../../../../../app/core/watch/eventlog/eventTables.ts';

// Constructed in the documented shapes of each tool (no public sample of a crash was found for these):
// PowerShell's ConvertTo-Json / Export-Csv of EventLogRecord objects, and EvtxECmd's CSV columns.
const PROFILES = [{ profile: 'emis-web', apps: ['EmisWeb.exe'] }];
const DATA = ['EmisWeb.exe', '9.2.1.0', '673dba46', 'clr.dll', '4.8.9290.0', '66e9e4b6', 'e0434352', '0012b5d2', '0x1a2c'];

describe('events exported as tables', () => {
  it('reads Get-WinEvent | ConvertTo-Json (Windows PowerShell 5.1 dates, Properties as EventData)', () => {
    const json = JSON.stringify([
      { Id: 1000, Level: 2, RecordId: 48211, ProviderName: 'Application Error', LogName: 'Application', MachineName: 'PC07', TimeCreated: '/Date(1767606070446)/', Message: 'Faulting application name: EmisWeb.exe', Properties: DATA.map((Value) => ({ Value })) },
      { Id: 1035, Level: 4, RecordId: 48212, ProviderName: 'MsiInstaller', LogName: 'Application', MachineName: 'PC07', TimeCreated: '/Date(1767606071000)/', Properties: [] },
    ]);
    expect(classifyHead(Buffer.from(json))).toBe('eventlog-json');
    const { records, events, problems } = parseEventJson(json);
    expect([events, problems]).toEqual([2, []]);
    expect(records[0]).toMatchObject({ provider: 'Application Error', eventId: 1000, level: 2, recordId: 48211, timeCreated: 1767606070446, data: DATA });
    const verdict = eventVerdict(records[0]!, PROFILES);
    expect(verdict.verdict === 'signal' && verdict.signal.signature).toBe('e0434352@clr.dll');
  });

  it('reads Get-WinEvent | Export-Csv from its Message, the date in the PC locale and --log-timezone', () => {
    const message = 'Faulting application name: EmisWeb.exe, version: 9.2.1.0, time stamp: 0x673dba46\nFaulting module name: clr.dll, version: 4.8.9290.0\nException code: 0xe0434352\nFaulting process id: 0x1a2c';
    const csv = [
      '#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord',
      '"Message","Id","Version","Qualifiers","Level","Task","Opcode","Keywords","RecordId","ProviderName","ProviderId","LogName","ProcessId","ThreadId","MachineName","UserId","TimeCreated","LevelDisplayName","Properties"',
      `"${message}","1000","0","0","2","100","0","36028797018963968","48211","Application Error","","Application","","","PC07","","05/07/2026 09:41:10","Error","System.Collections.Generic.List\`1[System.Diagnostics.Eventing.Reader.EventProperty]"`,
    ].join('\r\n');
    expect(classifyHead(Buffer.from(csv))).toBe('eventlog-csv');
    const { records } = parseEventCsv(csv, 'Europe/London');
    expect(records[0]).toMatchObject({ eventId: 1000, recordId: 48211, timeCreated: Date.parse('2026-07-05T08:41:10Z'), data: [] });
    const verdict = eventVerdict(records[0]!, PROFILES);
    expect(verdict.verdict === 'signal' && [verdict.signal.signature, verdict.signal.pid]).toEqual(['e0434352@clr.dll', 0x1a2c]);
  });

  it('reads EvtxECmd CSV: UTC times without a zone, the EventData in its Payload JSON, a bad row skipped', () => {
    const payload = JSON.stringify({ EventData: { Data: DATA.map((text, i) => ({ '@Name': ['AppName', 'AppVersion', 'AppTimeStamp', 'ModuleName', 'ModuleVersion', 'ModuleTimeStamp', 'ExceptionCode', 'FaultingOffset', 'ProcessId'][i], '#text': text })) } });
    const csv = [
      'RecordNumber,EventRecordId,TimeCreated,EventId,Level,Provider,Channel,ProcessId,ThreadId,Computer,Payload',
      `1,48211,2026-01-05 09:41:10.4460000,1000,Error,Application Error,Application,0,0,PC07,"${payload.replace(/"/g, '""')}"`,
      '2,48212,not a time,1000,Error,Application Error,Application,0,0,PC07,',
    ].join('\n');
    expect(classifyHead(Buffer.from(csv))).toBe('eventlog-csv');
    const { records, problems } = parseEventCsv(csv);
    expect(records.map((r) => [r.timeCreated, r.level, r.namedData['ExceptionCode']])).toEqual([[Date.parse('2026-01-05T09:41:10.446Z'), 2, 'e0434352']]);
    expect(problems).toEqual([{ event: 2, reason: expect.stringMatching(/TimeCreated "not a time"/) }]);
  });
});
