import type { IncidentKind } from './incident.ts';

/**
 * The colours the screens and the HTML report share, so a crash is the same red in the app and
 * on the report IT prints. Light theme values; renderer/src/styles.css holds the same text and
 * pill colours as CSS custom properties (plus their dark-theme counterparts).
 */
export const PALETTE = {
  text: '#1b2430',
  muted: '#4a5563',
  line: '#cfd6de',
  surface: '#ffffff',
  page: '#f4f6f8',
  accent: '#1f5fae',
} as const;

/** Chart bars and legend swatches: mid-tones that read on white and on the dark theme's grey. */
export const KIND_COLOURS: Record<IncidentKind, string> = {
  crash: '#b42318',
  hang: '#dd6b20',
  slow: '#d4a72c',
  exit: '#6b7685',
};

/** Text on tinted background for kind labels ("pills"): each pair at least 7:1 (WCAG AAA). */
export const KIND_PILLS: Record<IncidentKind, { fg: string; bg: string }> = {
  crash: { fg: '#7f1d1d', bg: '#fbdcdc' },
  hang: { fg: '#7c2d12', bg: '#fde3cf' },
  slow: { fg: '#713f12', bg: '#fdf1c7' },
  exit: { fg: '#374151', bg: '#e5e8ec' },
};
