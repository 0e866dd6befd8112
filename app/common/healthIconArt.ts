import type { HealthState } from './incident.ts';

/**
 * The one icon set for health states: the tray (scripts/make-icons.ts rasterises it into PNG and
 * ICO) and the window (renderer/src/health/HealthIcon.tsx draws it as SVG) read these shapes.
 * Each state has its own colour AND its own silhouette, so it reads without colour vision:
 * ok circle with a tick · slow triangle with "!" · hung diamond with pause bars ·
 * crashed square with a cross · not running hollow ring with a dash.
 * Coordinates run 0..1 across the icon, y downwards.
 */

export type Point = readonly [number, number];
export type Rgb = readonly [number, number, number];

export type IconPart =
  | { kind: 'circle'; cx: number; cy: number; r: number }
  | { kind: 'ring'; cx: number; cy: number; r: number; halfWidth: number }
  /** A polygon with its corners rounded by `radius`. */
  | { kind: 'polygon'; points: readonly Point[]; radius: number }
  /** A stroke with round ends. */
  | { kind: 'segment'; a: Point; b: Point; halfWidth: number };

export interface StateIconArt {
  fill: Rgb;
  /** A dark edge about a pixel wide, so light and dark taskbars both show the shape. */
  edge: Rgb;
  shape: IconPart;
  mark: readonly IconPart[];
  markColour: Rgb;
}

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [32, 33, 36];

export const HEALTH_ICON_ART: Record<HealthState, StateIconArt> = {
  ok: {
    fill: [30, 142, 62],
    edge: [13, 82, 33],
    shape: { kind: 'circle', cx: 0.5, cy: 0.5, r: 0.43 },
    mark: [
      { kind: 'segment', a: [0.29, 0.52], b: [0.44, 0.67], halfWidth: 0.065 },
      { kind: 'segment', a: [0.44, 0.67], b: [0.72, 0.35], halfWidth: 0.065 },
    ],
    markColour: WHITE,
  },
  slow: {
    fill: [249, 171, 0],
    edge: [140, 90, 0],
    shape: { kind: 'polygon', points: [[0.5, 0.08], [0.95, 0.9], [0.05, 0.9]], radius: 0.02 },
    mark: [
      { kind: 'segment', a: [0.5, 0.38], b: [0.5, 0.6], halfWidth: 0.06 },
      { kind: 'circle', cx: 0.5, cy: 0.76, r: 0.065 },
    ],
    markColour: INK,
  },
  hung: {
    fill: [232, 113, 10],
    edge: [130, 58, 0],
    shape: { kind: 'polygon', points: [[0.5, 0.04], [0.96, 0.5], [0.5, 0.96], [0.04, 0.5]], radius: 0.02 },
    mark: [
      { kind: 'segment', a: [0.41, 0.36], b: [0.41, 0.64], halfWidth: 0.055 },
      { kind: 'segment', a: [0.59, 0.36], b: [0.59, 0.64], halfWidth: 0.055 },
    ],
    markColour: WHITE,
  },
  crashed: {
    fill: [217, 48, 37],
    edge: [120, 18, 12],
    shape: { kind: 'polygon', points: [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]], radius: 0.04 },
    mark: [
      { kind: 'segment', a: [0.32, 0.32], b: [0.68, 0.68], halfWidth: 0.07 },
      { kind: 'segment', a: [0.68, 0.32], b: [0.32, 0.68], halfWidth: 0.07 },
    ],
    markColour: WHITE,
  },
  'not-running': {
    fill: [128, 134, 139],
    edge: [60, 64, 67],
    shape: { kind: 'ring', cx: 0.5, cy: 0.5, r: 0.37, halfWidth: 0.075 },
    mark: [{ kind: 'segment', a: [0.36, 0.5], b: [0.64, 0.5], halfWidth: 0.06 }],
    markColour: [128, 134, 139],
  },
};

/** Lifeboat's mark: a lifebuoy, red and white quarters with a dark rim (the app icon, and the tray icon's base). */
export const LIFEBUOY = {
  ring: { kind: 'ring', cx: 0.5, cy: 0.5, r: 0.33, halfWidth: 0.15 } as const satisfies IconPart,
  rim: [31, 58, 95] as Rgb,
  red: [217, 48, 37] as Rgb,
  white: WHITE,
};

/**
 * The tray icon: the lifebuoy, with the state's shape as a badge in the lower right corner, cut
 * free of the lifebuoy by a thin gap. `scale` and `offset` place the badge (0..1 icon units).
 */
export const TRAY_BADGE = { scale: 0.6, offset: 0.4, gap: 0.06 } as const;

export const rgb = (c: Rgb): string => `rgb(${c[0]} ${c[1]} ${c[2]})`;
