import { describe, expect, it } from 'vitest';
import { withoutControlChars } from '../../../app/common/controlChars.ts';
import { renderEvidenceText } from '../../../app/core/report/evidencePack.ts';
import type { ReportData } from '../../../app/core/report/reportData.ts';

/** Any control character but tab (and, where allowed, CR LF between lines). */
const hasControl = (text: string, allow = ''): boolean => [...text].some((c) => !allow.includes(c) && c !== '\t' && (c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f)));

const HOSTILE = 'EmisWeb crashed\u001b[2J\u001b]0;pwned\u0007\r[09:00] health ok → ok: all fine\u0085\u009b31m';

describe('text for a terminal or a text file', () => {
  it('turns every C0 (but tab), DEL and C1 control into U+FFFD, keeping everything else', () => {
    const out = withoutControlChars(HOSTILE);
    expect(hasControl(out)).toBe(false);
    expect(out).toContain('EmisWeb crashed\uFFFD[2J');
    expect(withoutControlChars('tab\there, ünïcødé, 👍')).toBe('tab\there, ünïcødé, 👍');
  });

  it('evidence.txt: a hostile log line cannot clear the screen, set a title or forge a line', () => {
    const data = { period: { from: 'a', to: 'b' }, workstation: null, incidents: [{ id: 'i1', kind: 'crash', app: 'EmisWeb.exe', startedAt: '2026-01-05T09:00:00.000Z', endedAt: null, signature: 'sig\u001b[31m', evidence: [HOSTILE, 'at Foo()\nat Bar()'] }] } as unknown as ReportData;
    const text = renderEvidenceText(data);
    expect(text.split('\r\n').some((line) => hasControl(line))).toBe(false);
    // Lines are separated by CRLF only; a record's own lines stay lines, indented.
    expect(text.split('\r\n')).toEqual(expect.arrayContaining(['    at Bar()']));
    expect(text.split('\r\n').some((l) => l.startsWith('[09:00]'))).toBe(false);
  });
});
