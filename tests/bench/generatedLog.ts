import { closeSync, openSync, writeSync } from 'node:fs';

/** Phrases the generated log holds, for benchmarks that search it. */
export const CRASH = 'has encountered a serious problem and needs to close';
export const HANG = 'is not responding';
export const SLOW = 'timed out after';

/**
 * A log4net-style EMIS-like log of `targetBytes`: INFO lines, an ERROR with a stack trace every
 * 2003 records, slow, hang and crash records more rarely. Generated at bench time, never committed;
 * written through one reused 8 MiB buffer, so generating 500 MB holds one buffer, never the file.
 */
export function generateLog(path: string, targetBytes: number): { bytes: number; lines: number; records: number } {
  const fd = openSync(path, 'w');
  const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
  const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
  const views = ['Clinical.Summary', 'Consultation.Editor', 'Medication.Issue', 'Appointments.Book', 'Documents.Inbox'];
  const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  const flushAt = buffer.length - 4096; // room for the longest record
  let written = 0;
  let lines = 0;
  let seq = 0;
  try {
    while (written < targetBytes) {
      let size = 0;
      while (size < flushAt) {
        seq++;
        const ms = seq * 7;
        const ts = `2026-01-05 ${pad2[Math.floor(ms / 3_600_000) % 24]}:${pad2[Math.floor(ms / 60_000) % 60]}:${pad2[Math.floor(ms / 1000) % 60]},${pad3[ms % 1000]}`;
        let text: string;
        if (seq % 40_009 === 0) {
          text = `${ts} [1] FATAL EMIS.Web.Shell - EMIS Web ${CRASH}\nSystem.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.\n   at EMIS.Web.Grid.Render(Int32 rows)\n   at EMIS.Web.Shell.Main()\n`;
          lines += 4;
        } else if (seq % 30_011 === 0) {
          text = `${ts} [1] WARN  EMIS.Web.Shell - UI thread ${HANG} (6000 ms)\n`;
          lines += 1;
        } else if (seq % 25_013 === 0) {
          text = `${ts} [9] ERROR EMIS.Web.Data - GetPatientRecord failed\nSystem.TimeoutException: The operation ${SLOW} 30000 ms\n   at EMIS.Web.Data.Client.Call(String op)\n   at EMIS.Web.Data.Repository.Load()\n`;
          lines += 4;
        } else if (seq % 2_003 === 0) {
          text = `${ts} [${seq % 17}] ERROR EMIS.Web.Documents - render failed\nSystem.NullReferenceException: Object reference not set to an instance of an object.\n   at EMIS.Web.Documents.Viewer.Draw()\n   --- End of inner exception stack trace ---\n   at EMIS.Web.Shell.Dispatch()\n`;
          lines += 5;
        } else {
          text = `${ts} [${seq % 17}] INFO  EMIS.Web.Consultation.Controller - Loaded view ${views[seq % 5]} in ${seq % 900} ms (request ${seq})\n`;
          lines += 1;
        }
        size += buffer.write(text, size, 'latin1'); // all ASCII
      }
      writeSync(fd, buffer, 0, size);
      written += size;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written, lines, records: seq };
}

