/**
 * GUIDs as the 16 bytes COM expects behind a REFCLSID/REFIID: Data1-3 little-endian, Data4 as written.
 * Pure, so the byte order is tested on Linux against koffi's encoding of the GUID struct.
 */
const GUID_PATTERN = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

export function guidBytes(guid: string): Buffer {
  const match = GUID_PATTERN.exec(guid.trim());
  if (!match) throw new Error(`not a GUID: ${guid}`);
  const [, data1, data2, data3, data4a, data4b] = match as unknown as [string, string, string, string, string, string];
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32LE(Number.parseInt(data1, 16), 0);
  bytes.writeUInt16LE(Number.parseInt(data2, 16), 4);
  bytes.writeUInt16LE(Number.parseInt(data3, 16), 6);
  Buffer.from(data4a + data4b, 'hex').copy(bytes, 8);
  return bytes;
}
