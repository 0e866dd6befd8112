import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HEALTH_STATES } from '../../../app/common/incident.ts';
import { HEALTH_ICON_ART, TRAY_BADGE } from '../../../app/common/healthIconArt.ts';
import { crc32, encodePng, iconFiles, PNG_SIGNATURE, renderAppIcon, renderTrayIcon, TRAY_ICO_SIZES, TRAY_PNG_SIZES } from '../../../scripts/make-icons.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunkTypes: string[];
  rgba: Uint8Array;
}

/** An independent PNG reader (all five filter types), so the test does not trust the encoder. */
function decodePng(file: Buffer): DecodedPng {
  expect(file.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colourType = 0;
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    const crc = file.readUInt32BE(offset + 8 + length);
    expect(crc, `CRC of ${type}`).toBe(crc32(file.subarray(offset + 4, offset + 8 + length)));
    chunkTypes.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colourType = data[9]!;
      expect([data[10], data[11], data[12]]).toEqual([0, 0, 0]);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(offset).toBe(file.length);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const cur = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      rgba[y * stride + x] = (cur + predictor) & 0xff;
    }
  }
  return { width, height, bitDepth, colourType, chunkTypes, rgba };
}

function readIcoDirectory(file: Buffer): Array<{ width: number; height: number; bpp: number; bytes: number; offset: number }> {
  expect(file.readUInt16LE(0)).toBe(0);
  expect(file.readUInt16LE(2)).toBe(1);
  const count = file.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const e = 6 + i * 16;
    return { width: file[e] || 256, height: file[e + 1] || 256, bpp: file.readUInt16LE(e + 6), bytes: file.readUInt32LE(e + 8), offset: file.readUInt32LE(e + 12) };
  });
}

describe('tray and app icons', () => {
  it('has every size, as PNG and @2x, and an .ico for every health state', () => {
    for (const state of HEALTH_STATES) {
      for (const size of TRAY_PNG_SIZES) {
        expect(existsSync(join(ROOT, `assets/tray/${state}-${size}.png`))).toBe(true);
        expect(existsSync(join(ROOT, `assets/tray/${state}-${size}@2x.png`))).toBe(true);
      }
      expect(existsSync(join(ROOT, `assets/tray/${state}.ico`))).toBe(true);
    }
    expect(existsSync(join(ROOT, 'assets/app/icon.png'))).toBe(true);
    expect(existsSync(join(ROOT, 'assets/app/icon.ico'))).toBe(true);
  });

  it('every PNG is a valid 8-bit RGBA image of its size, pixel for pixel what make-icons draws', () => {
    for (const file of iconFiles().filter((f) => f.kind === 'png')) {
      const png = decodePng(readFileSync(join(ROOT, file.path)));
      const size = file.sizes[0]!;
      expect([png.width, png.height, png.bitDepth, png.colourType], file.path).toEqual([size, size, 8, 6]);
      expect(png.chunkTypes[0]).toBe('IHDR');
      expect(png.chunkTypes.at(-1)).toBe('IEND');
      expect(Buffer.from(png.rgba).equals(Buffer.from(file.render(size))), `${file.path} is stale: run node scripts/make-icons.ts`).toBe(true);
    }
  });

  it('every ICO lists every size, each a valid PNG of that size', () => {
    for (const file of iconFiles().filter((f) => f.kind === 'ico')) {
      const bytes = readFileSync(join(ROOT, file.path));
      const dir = readIcoDirectory(bytes);
      expect(dir.map((d) => d.width), file.path).toEqual(file.sizes);
      for (const entry of dir) {
        expect(entry.height).toBe(entry.width);
        expect(entry.bpp).toBe(32);
        expect(entry.offset + entry.bytes).toBeLessThanOrEqual(bytes.length);
        const png = decodePng(bytes.subarray(entry.offset, entry.offset + entry.bytes));
        expect([png.width, png.height]).toEqual([entry.width, entry.width]);
        expect(Buffer.from(png.rgba).equals(Buffer.from(file.render(entry.width)))).toBe(true);
      }
    }
    const tray = readIcoDirectory(readFileSync(join(ROOT, 'assets/tray/ok.ico')));
    expect(tray.map((d) => d.width)).toEqual([...TRAY_ICO_SIZES]);
    const app = readIcoDirectory(readFileSync(join(ROOT, 'assets/app/icon.ico')));
    expect(app.map((d) => d.width)).toContain(256); // electron-builder needs 256 for Windows
  });

  it('gives each state its own colour and its own shape (silhouette), for colour-blind users', () => {
    const size = 32;
    const silhouettes = new Set<string>();
    const colours = new Set<string>();
    for (const state of HEALTH_STATES) {
      const px = renderTrayIcon(state, size);
      let mask = '';
      for (let i = 0; i < size * size; i++) mask += px[i * 4 + 3]! > 127 ? '1' : '0';
      silhouettes.add(mask);
      // Colour at a point inside every badge's filled area (below its mark, inside its edge).
      const x = Math.floor((TRAY_BADGE.offset + TRAY_BADGE.scale * 0.5) * size);
      const y = Math.floor((TRAY_BADGE.offset + TRAY_BADGE.scale * 0.85) * size);
      const i = (y * size + x) * 4;
      colours.add(`${px[i]},${px[i + 1]},${px[i + 2]}`);
    }
    expect(silhouettes.size).toBe(HEALTH_STATES.length);
    expect(colours.size).toBe(HEALTH_STATES.length);
  });

  it('puts Lifeboat’s mark (the app icon’s lifebuoy) on every tray icon, the state as a badge in its corner', () => {
    const size = 64;
    const app = renderAppIcon(size);
    for (const state of HEALTH_STATES) {
      const px = renderTrayIcon(state, size);
      // The top left quarter is the lifebuoy, pixel for pixel as on the app icon.
      for (let y = 0; y < size * 0.35; y++) {
        for (let x = 0; x < size * 0.35; x++) {
          const i = (y * size + x) * 4;
          expect([px[i], px[i + 1], px[i + 2], px[i + 3]], `${state} at ${x},${y}`).toEqual([app[i], app[i + 1], app[i + 2], app[i + 3]]);
        }
      }
    }
  });

  it('draws the badge from the same art the window uses (app/common/healthIconArt.ts)', () => {
    const size = 64;
    for (const state of HEALTH_STATES) {
      const px = renderTrayIcon(state, size);
      const x = Math.floor((TRAY_BADGE.offset + TRAY_BADGE.scale * 0.5) * size);
      const y = Math.floor((TRAY_BADGE.offset + TRAY_BADGE.scale * 0.85) * size);
      const i = (y * size + x) * 4;
      expect([px[i], px[i + 1], px[i + 2]], state).toEqual([...HEALTH_ICON_ART[state].fill]);
    }
  });

  it('computes the standard CRC-32 and a PNG reader accepts the encoder output', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('IEND', 'latin1'))).toBe(0xae426082);
    const png = decodePng(encodePng(2, 1, new Uint8Array([255, 0, 0, 255, 0, 0, 255, 128])));
    expect(Array.from(png.rgba)).toEqual([255, 0, 0, 255, 0, 0, 255, 128]);
  });
});
