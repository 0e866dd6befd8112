// Draws Lifeboat's tray and app icons and writes them as real PNG and ICO files:
//   node scripts/make-icons.ts          (writes assets/tray/* and assets/app/*)
// No image library: a small signed-distance rasteriser, a PNG encoder over node:zlib and an ICO
// container with PNG entries (Windows Vista and later read those at every size).
// A tray icon is Lifeboat's mark (the lifebuoy) with a badge for the health state; each state has
// its own colour AND its own shape (app/common/healthIconArt.ts, shared with the window's icons),
// so the tray reads without colour vision.
// Only + - * / sqrt abs min max round are used, so the pixels are identical on every machine
// (tests/unit/tooling/icons.test.ts re-renders and compares them with the committed files).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { HEALTH_ICON_ART, LIFEBUOY, TRAY_BADGE, type IconPart, type Point, type Rgb } from '../app/common/healthIconArt.ts';
import { HEALTH_STATES, type HealthState } from '../app/common/incident.ts';

export { HEALTH_STATES };

/** PNG sizes per state (each also at @2x), and the sizes inside each state's .ico. */
export const TRAY_PNG_SIZES = [16, 32, 48, 64] as const;
export const TRAY_ICO_SIZES = [16, 20, 24, 32, 40, 48, 64] as const;
export const APP_ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256] as const;
export const APP_PNG_SIZE = 256;

type Vec = Point;
/** Signed distance in icon units (0..1 across the icon): negative inside. */
type Sdf = (x: number, y: number) => number;
interface Layer {
  sdf: Sdf;
  colour: Rgb | ((x: number, y: number, px: number) => Rgb);
}

// ---- signed distance shapes -------------------------------------------------------------

const length = (x: number, y: number): number => Math.sqrt(x * x + y * y);

const circle = (cx: number, cy: number, r: number): Sdf => (x, y) => length(x - cx, y - cy) - r;

const ring = (cx: number, cy: number, r: number, halfWidth: number): Sdf => (x, y) => Math.abs(length(x - cx, y - cy) - r) - halfWidth;

function segment(a: Vec, b: Vec, halfWidth: number): Sdf {
  return (x, y) => {
    const pax = x - a[0];
    const pay = y - a[1];
    const bax = b[0] - a[0];
    const bay = b[1] - a[1];
    const h = Math.max(0, Math.min(1, (pax * bax + pay * bay) / (bax * bax + bay * bay)));
    return length(pax - bax * h, pay - bay * h) - halfWidth;
  };
}

/** Exact distance to a simple polygon (winding by crossings), rounded by `radius`. */
function polygon(points: readonly Vec[], radius = 0): Sdf {
  return (x, y) => {
    let best = Infinity;
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      const ex = xj - xi;
      const ey = yj - yi;
      const wx = x - xi;
      const wy = y - yi;
      const h = Math.max(0, Math.min(1, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
      best = Math.min(best, length(wx - ex * h, wy - ey * h));
      if (yi > y !== yj > y && x < (ex * (y - yi)) / ey + xi) inside = !inside;
    }
    return (inside ? -best : best) - radius;
  };
}

const union = (...parts: Sdf[]): Sdf => (x, y) => Math.min(...parts.map((p) => p(x, y)));
const grow = (sdf: Sdf, by: number): Sdf => (x, y) => sdf(x, y) - by;

// ---- the icons ----------------------------------------------------------------------------
// The shapes and colours are app/common/healthIconArt.ts, which the window draws as SVG too:
// one icon set for the tray and the screens.

/** A part of the shared art as a signed distance function. */
function partSdf(part: IconPart): Sdf {
  switch (part.kind) {
    case 'circle':
      return circle(part.cx, part.cy, part.r);
    case 'ring':
      return ring(part.cx, part.cy, part.r, part.halfWidth);
    case 'polygon':
      return polygon(part.points, part.radius);
    case 'segment':
      return segment(part.a, part.b, part.halfWidth);
  }
}

/** The shape placed in the badge corner: scaled by `k`, moved by `offset` (icon units). */
const placed = (sdf: Sdf, k: number, offset: number): Sdf => (x, y) => sdf((x - offset) / k, (y - offset) / k) * k;
/** Everything in `a` that is outside `b` (the lifebuoy with the badge's gap cut out). */
const minus = (a: Sdf, b: Sdf): Sdf => (x, y) => Math.max(a(x, y), -b(x, y));

/** The state's shape with its dark edge and its mark, in icon units, at `k`/`offset`. */
function stateLayers(state: HealthState, size: number, k = 1, offset = 0): Layer[] {
  const art = HEALTH_ICON_ART[state];
  const shape = placed(partSdf(art.shape), k, offset);
  // A dark edge about one pixel wide (never thinner than one), so light and dark taskbars both show the shape.
  const edge = Math.max(1 / size, 0.045);
  return [
    { sdf: grow(shape, edge / 2), colour: art.edge },
    { sdf: grow(shape, -edge / 2), colour: art.fill },
    { sdf: placed(union(...art.mark.map(partSdf)), k, offset), colour: art.markColour },
  ];
}

/** Red and white quarters, boundaries softened over one pixel so the small sizes stay smooth. */
function lifebuoyQuarters(x: number, y: number, px: number): Rgb {
  const red = LIFEBUOY.red;
  const dx = x - 0.5;
  const dy = y - 0.5;
  const sign = dx * dy > 0 ? 1 : -1;
  const t = Math.max(0, Math.min(1, 0.5 + sign * Math.min(Math.abs(dx), Math.abs(dy)) * px));
  return [Math.round(red[0] * t + 255 * (1 - t)), Math.round(red[1] * t + 255 * (1 - t)), Math.round(red[2] * t + 255 * (1 - t))];
}

/** The app icon: Lifeboat's mark, a lifebuoy with a dark rim. */
function appLayers(size: number): Layer[] {
  const rim = Math.max(1 / size, 0.02);
  const { cx, cy, r, halfWidth } = LIFEBUOY.ring;
  return [
    { sdf: ring(cx, cy, r, halfWidth + rim), colour: LIFEBUOY.rim },
    { sdf: ring(cx, cy, r, halfWidth - rim), colour: lifebuoyQuarters },
  ];
}

/**
 * A tray icon: Lifeboat's mark (the lifebuoy) with the state as a badge in the lower right
 * corner, cut free of the mark by a thin gap, so the tray says both whose icon it is and how the
 * clinical system is.
 */
function trayLayers(state: HealthState, size: number): Layer[] {
  const { scale, offset, gap } = TRAY_BADGE;
  const badge = placed(partSdf(HEALTH_ICON_ART[state].shape), scale, offset);
  const cut = grow(badge, Math.max(gap, 1 / size));
  return [...appLayers(size).map((layer) => ({ ...layer, sdf: minus(layer.sdf, cut) })), ...stateLayers(state, size, scale, offset)];
}

/** Straight-alpha RGBA, row-major; each pixel's coverage comes from the signed distance. */
function rasterise(layers: Layer[], size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of layers) {
        const coverage = Math.max(0, Math.min(1, 0.5 - layer.sdf(x, y) * size));
        if (coverage === 0) continue;
        const c = typeof layer.colour === 'function' ? layer.colour(x, y, size) : layer.colour;
        const outA = coverage + a * (1 - coverage);
        r = (c[0] * coverage + r * a * (1 - coverage)) / outA;
        g = (c[1] * coverage + g * a * (1 - coverage)) / outA;
        b = (c[2] * coverage + b * a * (1 - coverage)) / outA;
        a = outA;
      }
      const i = (py * size + px) * 4;
      out[i] = Math.round(r);
      out[i + 1] = Math.round(g);
      out[i + 2] = Math.round(b);
      out[i + 3] = Math.round(a * 255);
    }
  }
  return out;
}

export const renderTrayIcon = (state: HealthState, size: number): Uint8Array => rasterise(trayLayers(state, size), size);
export const renderAppIcon = (size: number): Uint8Array => rasterise(appLayers(size), size);

// ---- PNG ------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG chunks use it). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** 8-bit RGBA PNG: signature, IHDR, one IDAT (filter byte 0 per row, zlib), IEND. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: expected ${width * height * 4} bytes, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// ---- ICO ------------------------------------------------------------------------------------

/** An ICO file whose images are PNGs: ICONDIR (6 bytes), one 16-byte entry per image, the PNGs. */
export function encodeIco(images: Array<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    if (size < 1 || size > 256) throw new Error(`ICO images are 1..256 px, not ${size}`);
    const entry = Buffer.alloc(16);
    entry[0] = size === 256 ? 0 : size; // width (0 means 256)
    entry[1] = size === 256 ? 0 : size; // height
    entry[2] = 0; // no palette
    entry[3] = 0; // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

// ---- the files ------------------------------------------------------------------------------

export interface IconFile {
  /** Relative to the repository root. */
  path: string;
  kind: 'png' | 'ico';
  /** PNG: its one size; ICO: every size inside. */
  sizes: number[];
  render(size: number): Uint8Array;
}

export function iconFiles(): IconFile[] {
  const files: IconFile[] = [];
  for (const state of HEALTH_STATES) {
    const render = (size: number): Uint8Array => renderTrayIcon(state, size);
    for (const size of TRAY_PNG_SIZES) {
      files.push({ path: `assets/tray/${state}-${size}.png`, kind: 'png', sizes: [size], render });
      files.push({ path: `assets/tray/${state}-${size}@2x.png`, kind: 'png', sizes: [size * 2], render });
    }
    files.push({ path: `assets/tray/${state}.ico`, kind: 'ico', sizes: [...TRAY_ICO_SIZES], render });
  }
  files.push({ path: 'assets/app/icon.png', kind: 'png', sizes: [APP_PNG_SIZE], render: renderAppIcon });
  files.push({ path: 'assets/app/icon.ico', kind: 'ico', sizes: [...APP_ICO_SIZES], render: renderAppIcon });
  return files;
}

export function encodeIconFile(file: IconFile): Buffer {
  if (file.kind === 'png') {
    const size = file.sizes[0]!;
    return encodePng(size, size, file.render(size));
  }
  return encodeIco(file.sizes.map((size) => ({ size, png: encodePng(size, size, file.render(size)) })));
}

export function writeIcons(root: string): string[] {
  const written: string[] = [];
  for (const file of iconFiles()) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, encodeIconFile(file));
    written.push(file.path);
  }
  return written;
}

if (import.meta.main) {
  const root = join(import.meta.dirname, '..');
  const written = writeIcons(root);
  console.log(`make-icons: wrote ${written.length} files under assets/tray and assets/app`);
}
