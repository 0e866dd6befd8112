import { crc32, deflateRawSync } from 'node:zlib';

const ZIP_EPOCH = new Date(1980, 0, 1);

/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3): deflate or store, UTF-8 names, local headers, a
 * central directory, no ZIP64. An evidence pack is a few megabytes at most, so it is built in
 * memory; anything past the classic format's 4 GiB / 65535-entry limits is refused rather
 * than written wrongly. Readable by Windows Explorer, `unzip` and Python's zipfile.
 */

export interface ZipEntry {
  /** Forward slashes, no leading slash, no "..": the writer checks. */
  name: string;
  data: Buffer | string;
  /** Modification time recorded for the entry; default the DOS epoch (1980-01-01), so an archive without times is reproducible. */
  modified?: Date;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: deflate
const MAX_32 = 0xffffffff;
const MADE_BY_UNIX = 3;
const REGULAR_FILE_0644 = 0o100644;

/** MS-DOS date and time, local time, two-second resolution; 1980 is the earliest it can say. */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, date.getFullYear()));
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function checkName(name: string): Buffer {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`zip: "${name}" is not a safe entry name`);
  }
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > 0xffff) throw new Error('zip: entry name too long');
  return bytes;
}

export function createZip(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > 0xffff) throw new Error('zip: more than 65535 entries needs ZIP64, which this writer does not write');
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  const seen = new Set<string>();
  let offset = 0;

  for (const entry of entries) {
    const name = checkName(entry.name);
    if (seen.has(entry.name)) throw new Error(`zip: "${entry.name}" appears twice`);
    seen.add(entry.name);
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const deflated = deflateRawSync(data, { level: 9 });
    // Store when deflate does not help (already compressed, or tiny).
    const method = deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : data;
    if (data.length > MAX_32 || body.length > MAX_32 || offset > MAX_32) throw new Error('zip: over 4 GiB needs ZIP64, which this writer does not write');
    const crc = crc32(data);
    const { time, date } = dosDateTime(entry.modified ?? ZIP_EPOCH);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    // Made by "Unix": with an MS-DOS host, Info-ZIP's unzip re-decodes names from the OEM code
    // page despite the UTF-8 flag. The external attributes then carry a Unix mode: a regular
    // file, rw-r--r-- (Windows Explorer ignores the mode and reads the UTF-8 flag).
    header.writeUInt16LE((MADE_BY_UNIX << 8) | VERSION, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(0, 30); // extra
    header.writeUInt16LE(0, 32); // comment
    header.writeUInt16LE(0, 34); // disk
    header.writeUInt16LE(0, 36); // internal attributes
    header.writeUInt32LE(REGULAR_FILE_0644 * 0x10000, 38); // external attributes: mode in the high 16 bits
    header.writeUInt32LE(offset, 42);

    chunks.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }

  const directory = Buffer.concat(central);
  if (offset > MAX_32 || directory.length > MAX_32) throw new Error('zip: over 4 GiB needs ZIP64, which this writer does not write');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...chunks, directory, end]);
}
