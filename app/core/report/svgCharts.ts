/**
 * Charts drawn as inline SVG strings: no library, no script, no network, so a report file opens
 * the same on an air-gapped practice PC, in an email attachment and on paper. Every chart has a
 * <title> and <desc> for screen readers, and every value is also in a table or the CSV.
 */

export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Round numbers for an axis: 0, step, 2·step… with step 1, 2 or 5 × 10^k and at most ~5 ticks. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) {
    ticks.push(Math.round(v * 1e6) / 1e6);
    if (v >= max) break;
  }
  return ticks;
}

export interface Series {
  key: string;
  label: string;
  colour: string;
}

export interface BarChartOptions {
  title: string;
  description: string;
  /** One label per bar (dates). */
  labels: readonly string[];
  /** Stacked in this order, bottom first. */
  series: readonly Series[];
  values: ReadonlyArray<Readonly<Record<string, number | string>>>;
  width?: number;
  height?: number;
  unit?: string;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Stacked vertical bars with a y axis, gridlines, a thinned x axis of labels and a legend. */
export function stackedBarChart(options: BarChartOptions): string {
  const width = options.width ?? 960;
  const height = options.height ?? 260;
  const margin = { top: 14, right: 12, bottom: 46, left: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const at = (v: Readonly<Record<string, number | string>>, key: string): number => {
    const value = v[key];
    return typeof value === 'number' && value > 0 ? value : 0;
  };
  const totals = options.values.map((v) => options.series.reduce((sum, s) => sum + at(v, s.key), 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1]!;
  const n = Math.max(1, options.labels.length);
  const slot = plotW / n;
  const barW = Math.max(0.6, slot * (n > 60 ? 0.9 : 0.7));
  const y = (v: number): number => margin.top + plotH - (v / top) * plotH;
  const parts: string[] = [];

  // As many decimals as the step needs, so no two ticks ever read the same ("0.1, 0.1, 0.1").
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
  for (const t of ticks) {
    const yy = y(t).toFixed(1);
    parts.push(`<line class="grid" x1="${margin.left}" x2="${width - margin.right}" y1="${yy}" y2="${yy}"/>`);
    parts.push(`<text class="tick" x="${margin.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${t.toFixed(decimals)}</text>`);
  }
  options.values.forEach((v, i) => {
    let base = 0;
    const x = margin.left + i * slot + (slot - barW) / 2;
    for (const s of options.series) {
      const value = at(v, s.key);
      if (value <= 0) continue;
      const y0 = y(base);
      const y1 = y(base + value);
      parts.push(
        `<rect x="${x.toFixed(2)}" y="${y1.toFixed(2)}" width="${barW.toFixed(2)}" height="${Math.max(0.5, y0 - y1).toFixed(2)}" fill="${s.colour}"><title>${escapeXml(`${options.labels[i]}: ${fmt(value)} ${s.label}`)}</title></rect>`,
      );
      base += value;
    }
  });
  const every = Math.max(1, Math.ceil(n / 14));
  options.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const x = margin.left + i * slot + slot / 2;
    parts.push(`<text class="tick" x="${x.toFixed(1)}" y="${margin.top + plotH + 14}" text-anchor="middle">${escapeXml(label)}</text>`);
  });
  parts.push(`<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${y(0)}" y2="${y(0)}"/>`);
  let lx = margin.left;
  for (const s of options.series) {
    parts.push(`<rect x="${lx}" y="${height - 16}" width="11" height="11" fill="${s.colour}"/>`);
    parts.push(`<text class="legend" x="${lx + 15}" y="${height - 6}">${escapeXml(s.label)}</text>`);
    lx += 24 + s.label.length * 7.2;
  }
  if (options.unit) parts.push(`<text class="legend" x="${width - margin.right}" y="${height - 6}" text-anchor="end">${escapeXml(options.unit)}</text>`);
  return svg(width, height, options.title, options.description, parts);
}

export interface HeatmapOptions {
  title: string;
  description: string;
  rows: readonly string[];
  columns: readonly string[];
  cells: ReadonlyArray<readonly number[]>;
  width?: number;
}

/** Light to dark blue: readable in greyscale print, distinct for colour-blind readers. */
function heat(fraction: number): string {
  const from = [239, 246, 255];
  const to = [8, 48, 107];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * Math.sqrt(fraction)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** A rows × columns grid of counts, shaded by value, each non-zero cell labelled with its count. */
export function heatmap(options: HeatmapOptions): string {
  const width = options.width ?? 960;
  const left = 44;
  const top = 22;
  const cellW = (width - left - 8) / options.columns.length;
  const cellH = 26;
  const height = top + cellH * options.rows.length + 30;
  const max = Math.max(0, ...options.cells.flat());
  const parts: string[] = [];
  options.columns.forEach((label, c) => {
    parts.push(`<text class="tick" x="${(left + c * cellW + cellW / 2).toFixed(1)}" y="${top - 7}" text-anchor="middle">${escapeXml(label)}</text>`);
  });
  options.rows.forEach((label, r) => {
    const y = top + r * cellH;
    parts.push(`<text class="tick" x="${left - 6}" y="${y + cellH / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(label)}</text>`);
    options.columns.forEach((column, c) => {
      const value = options.cells[r]?.[c] ?? 0;
      const fraction = max === 0 ? 0 : value / max;
      const x = left + c * cellW;
      parts.push(
        `<rect x="${(x + 1).toFixed(1)}" y="${y + 1}" width="${(cellW - 2).toFixed(1)}" height="${cellH - 2}" rx="2" fill="${value === 0 ? '#f4f5f7' : heat(fraction)}"><title>${escapeXml(`${label} ${column}: ${value}`)}</title></rect>`,
      );
      if (value > 0) {
        parts.push(
          `<text class="cell" x="${(x + cellW / 2).toFixed(1)}" y="${y + cellH / 2}" text-anchor="middle" dominant-baseline="middle" fill="${fraction > 0.45 ? '#ffffff' : '#0b1f33'}">${value}</text>`,
        );
      }
    });
  });
  const legendY = top + cellH * options.rows.length + 10;
  for (let i = 0; i <= 10; i++) parts.push(`<rect x="${left + i * 18}" y="${legendY}" width="18" height="10" fill="${i === 0 ? '#f4f5f7' : heat(i / 10)}"/>`);
  parts.push(`<text class="legend" x="${left + 11 * 18 + 8}" y="${legendY + 9}">0 → ${max} incidents</text>`);
  return svg(width, height, options.title, options.description, parts);
}

function svg(width: number, height: number, title: string, description: string, parts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" preserveAspectRatio="xMinYMin meet">` +
    `<title>${escapeXml(title)}</title><desc>${escapeXml(description)}</desc>${parts.join('')}</svg>`
  );
}
