import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../app/common/incident.ts';
import {
  escapeParamValue,
  formatIncidentMessage,
  frameOctetCounted,
  headerField,
  parseOctetCountedFrames,
  structuredData,
} from '../../../../app/core/export/syslogFormat.ts';

const crash: Incident = {
  id: 'emisweb-20260105T094107Z-1',
  kind: 'crash',
  app: 'emisweb.exe',
  profile: 'emis-web',
  startedAt: '2026-01-05T09:41:07.123Z',
  endedAt: null,
  sources: ['log', 'wer'],
  evidence: ['2026-01-05T09:41:07.123Z log: EMIS Web has encountered a serious problem and needs to close'],
  signature: 'System.OutOfMemoryException',
  workstation: 'RECEPTION-01',
};

/** RFC 5424 §6 ABNF, enough of it to check a message's shape. */
const SYSLOG_MSG =
  /^<(\d{1,3})>1 (\S+) ([\x21-\x7e]{1,255}) ([\x21-\x7e]{1,48}) ([\x21-\x7e]{1,128}) ([\x21-\x7e]{1,32}) (\[[^ =\]"]+(?: [^ =\]"]+="(?:[^"\\\]]|\\["\\\]])*")*\]|-) \uFEFF(.*)$/su;

describe('RFC 5424 formatting', () => {
  it('builds PRI from facility and severity, and every header field in order', () => {
    const msg = formatIncidentMessage(crash, { hostname: 'RECEPTION-01', procId: 4242, change: 'opened' });
    const m = SYSLOG_MSG.exec(msg);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(16 * 8 + 3); // local0.err
    expect(m![2]).toBe('2026-01-05T09:41:07.123Z');
    expect(m!.slice(3, 7)).toEqual(['RECEPTION-01', 'lifeboat', '4242', 'incident']);
    expect(m![7]).toBe(
      '[lifeboat@32473 kind="crash" app="emisweb.exe" profile="emis-web" incident="emisweb-20260105T094107Z-1" change="opened" startedAt="2026-01-05T09:41:07.123Z" sources="log,wer" signature="System.OutOfMemoryException" workstation="RECEPTION-01" evidenceLines="1"]',
    );
    expect(m![8]).toContain('crash of emisweb.exe (emis-web) ongoing: System.OutOfMemoryException');
  });

  it('gives each kind its severity: hang and exit warning, slow notice', () => {
    const pri = (kind: Incident['kind']): number => Number(/^<(\d+)>/.exec(formatIncidentMessage({ ...crash, kind }, { hostname: 'h', facility: 1 }))![1]);
    expect([pri('crash'), pri('hang'), pri('exit'), pri('slow')]).toEqual([11, 12, 12, 13]);
  });

  it('escapes ", \\ and ] in SD-PARAM values and nothing else', () => {
    expect(escapeParamValue('a"b\\c]d[e=f')).toBe('a\\"b\\\\c\\]d[e=f');
    expect(escapeParamValue('line1\r\nline2\tx')).toBe('line1  line2 x');
    expect(structuredData('x@32473', [['p', 'v"]'], ['empty', ''], ['none', null]])).toBe('[x@32473 p="v\\"\\]"]');
  });

  it('keeps header fields to printable US-ASCII and their RFC lengths, "-" when empty', () => {
    expect(headerField('DR SMITH PC', 255)).toBe('DR_SMITH_PC');
    expect(headerField('', 48)).toBe('-');
    expect(headerField('Zoë', 48)).toBe('Zo_');
    expect(headerField('x'.repeat(300), 255)).toHaveLength(255);
  });

  it('redacts patient data in signature, SD values and MSG, and keeps MSG on one line', () => {
    const leaky: Incident = {
      ...crash,
      signature: 'Save failed for patient NHS 943 476 5919',
      evidence: ['2026-01-05T09:41:07.123Z log: Patient: Jane Example DOB: 01/02/1980\r\n  at LS1 4AP, call 07700 900123'],
    };
    const msg = formatIncidentMessage(leaky, { hostname: 'h' });
    expect(msg).not.toMatch(/943 ?476 ?5919|Jane|Example|01\/02\/1980|LS1 4AP|07700/);
    expect(msg).toContain('[NHS-NUMBER]');
    expect(msg).not.toMatch(/[\r\n]/);
  });

  it('frames by octet count in bytes, not characters, and the frames parse back', () => {
    const a = formatIncidentMessage({ ...crash, evidence: ['café ☕ 😀'] }, { hostname: 'h' });
    const b = formatIncidentMessage(crash, { hostname: 'h' });
    const frameA = frameOctetCounted(a);
    const len = Number(frameA.toString('ascii', 0, frameA.indexOf(0x20)));
    expect(len).toBe(Buffer.byteLength(a, 'utf8'));
    expect(len).toBeGreaterThan(a.length);
    const both = Buffer.concat([frameA, frameOctetCounted(b)]);
    const parsed = parseOctetCountedFrames(both);
    expect(parsed.consumed).toBe(both.length);
    expect(parsed.frames.map((f) => f.toString('utf8').replace(/^\d+ /, ''))).toEqual([a, b]);
    // A torn tail is not a frame.
    expect(parseOctetCountedFrames(both.subarray(0, both.length - 3)).frames).toHaveLength(1);
  });

  it('writes the UTF-8 BOM before MSG (RFC 5424 §6.4)', () => {
    const bytes = Buffer.from(formatIncidentMessage(crash, { hostname: 'h' }), 'utf8');
    const bom = bytes.indexOf(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bom).toBeGreaterThan(0);
    expect(bytes[bom - 1]).toBe(0x20);
  });
});
