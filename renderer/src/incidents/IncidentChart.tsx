import { KIND_COLOURS } from '../../../app/common/palette.ts';
import type { Bucket, Unit } from './buckets.ts';
import { KINDS } from './buckets.ts';
import { KIND_LABEL, KIND_PLURAL } from './incidentLabels.ts';
import { useWidth } from './useWidth.ts';

const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 34, left: 34 };

const tickLabel = (start: number, unit: Unit): string => {
  const d = new Date(start);
  return unit === 'hour' ? `${String(d.getHours()).padStart(2, '0')}:00` : `${d.getDate()}/${d.getMonth() + 1}`;
};

/**
 * Incidents per hour or day, stacked by kind, drawn as plain SVG (no chart library to ship or
 * audit), in the same colours as the HTML report (app/common/palette.ts). The picture has a text summary for screen readers; the table below has every figure.
 */
export function IncidentChart(props: { buckets: Bucket[]; unit: Unit; rangeLabel: string }) {
  const { buckets, unit } = props;
  const [canvas, width] = useWidth<HTMLDivElement>(640);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = (width - PAD.left - PAD.right) / Math.max(1, buckets.length);
  const barW = Math.max(4, Math.min(40, slot * 0.6));
  const y = (n: number): number => PAD.top + plotH - (n / max) * plotH;
  // As many tick labels as fit without touching (about 48 px each).
  const labelEvery = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor((width - PAD.left) / 48))));
  const totals = KINDS.map((k) => [k, buckets.reduce((n, b) => n + b.counts[k], 0)] as const);
  const total = totals.reduce((n, [, c]) => n + c, 0);
  const summary = `${total} incident${total === 1 ? '' : 's'} ${props.rangeLabel}: ${totals.map(([k, c]) => `${c} ${KIND_PLURAL[k]}`).join(', ')}.`;
  const gridSteps = max <= 4 ? max : 4;

  return (
    <figure className="chart">
      <div className="chart-canvas" ref={canvas}>
        <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={summary}>
          {Array.from({ length: gridSteps + 1 }, (_, i) => {
            const value = Math.round((max * i) / gridSteps);
            return (
              <g key={i} className="chart-grid">
                <line x1={PAD.left} x2={width - PAD.right} y1={y(value)} y2={y(value)} />
                <text x={PAD.left - 6} y={y(value) + 4} textAnchor="end">
                  {value}
                </text>
              </g>
            );
          })}
          {buckets.map((b, i) => {
            const x = PAD.left + i * slot + (slot - barW) / 2;
            let stacked = 0;
            return (
              <g key={b.start}>
                {KINDS.map((k) => {
                  const n = b.counts[k];
                  if (n === 0) return null;
                  const top = y(stacked + n);
                  const rect = (
                    <rect key={k} className={`bar bar-${k}`} fill={KIND_COLOURS[k]} x={x} y={top} width={barW} height={y(stacked) - top}>
                      <title>{`${tickLabel(b.start, unit)}: ${n} ${n === 1 ? KIND_LABEL[k].toLowerCase() : KIND_PLURAL[k]}`}</title>
                    </rect>
                  );
                  stacked += n;
                  return rect;
                })}
                {i % labelEvery === 0 ? (
                  <text className="chart-tick" x={x + barW / 2} y={HEIGHT - PAD.bottom + 16} textAnchor="middle">
                    {tickLabel(b.start, unit)}
                  </text>
                ) : null}
              </g>
            );
          })}
          <line className="chart-axis" x1={PAD.left} x2={width - PAD.right} y1={y(0)} y2={y(0)} />
        </svg>
      </div>
      <figcaption>
        <ul className="legend">
          {totals.map(([k, c]) => (
            <li key={k}>
              <svg className="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
                <rect width="14" height="14" rx="2" fill={KIND_COLOURS[k]} />
              </svg>
              {KIND_LABEL[k]}: {c}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
