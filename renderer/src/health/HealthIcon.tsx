import { HEALTH_ICON_ART, LIFEBUOY, rgb, type IconPart } from '../../../app/common/healthIconArt.ts';
import type { HealthState } from '../../../app/common/incident.ts';

const S = 100; // viewBox units per icon unit

/** One part of the shared icon art as SVG, in a 0..100 box. */
function Part(props: { part: IconPart; fill: string; stroke?: string; strokeWidth?: number }) {
  const { part, fill } = props;
  const edge = props.stroke ? { stroke: props.stroke, strokeWidth: props.strokeWidth ?? 4.5 } : {};
  switch (part.kind) {
    case 'circle':
      return <circle cx={part.cx * S} cy={part.cy * S} r={part.r * S} fill={fill} {...edge} />;
    case 'ring':
      return <circle cx={part.cx * S} cy={part.cy * S} r={part.r * S} fill="none" stroke={fill} strokeWidth={part.halfWidth * 2 * S} />;
    case 'polygon':
      return <polygon points={part.points.map(([x, y]) => `${x * S},${y * S}`).join(' ')} fill={fill} strokeLinejoin="round" {...edge} />;
    case 'segment':
      return <line x1={part.a[0] * S} y1={part.a[1] * S} x2={part.b[0] * S} y2={part.b[1] * S} stroke={fill} strokeWidth={part.halfWidth * 2 * S} strokeLinecap="round" />;
  }
}

/**
 * The health state's icon: the same shapes and colours as the tray icon (app/common/healthIconArt.ts),
 * so the window and the taskbar say one thing. Decorative: the words beside it carry the meaning.
 */
export function HealthIcon(props: { state: HealthState; size?: number }) {
  const art = HEALTH_ICON_ART[props.state];
  const size = props.size ?? 18;
  const ring = art.shape.kind === 'ring';
  return (
    <svg className="health-icon" width={size} height={size} viewBox={`0 0 ${S} ${S}`} aria-hidden="true" focusable="false">
      {ring ? (
        <>
          <circle cx={50} cy={50} r={art.shape.kind === 'ring' ? (art.shape.r + art.shape.halfWidth) * S : 0} fill="none" stroke={rgb(art.edge)} strokeWidth={3} />
          <Part part={art.shape} fill={rgb(art.fill)} />
        </>
      ) : (
        <Part part={art.shape} fill={rgb(art.fill)} stroke={rgb(art.edge)} />
      )}
      {art.mark.map((part, i) => (
        <Part key={i} part={part} fill={rgb(art.markColour)} />
      ))}
    </svg>
  );
}

/** Lifeboat's mark (the lifebuoy of the app and tray icons), beside the name in the top bar. */
export function LifeboatMark(props: { size?: number }) {
  const { ring } = LIFEBUOY;
  const r = ring.r * S;
  const width = ring.halfWidth * 2 * S;
  const quarter = (Math.PI * 2 * r) / 4;
  return (
    <svg className="lifeboat-mark" width={props.size ?? 22} height={props.size ?? 22} viewBox={`0 0 ${S} ${S}`} aria-hidden="true" focusable="false">
      <circle cx={50} cy={50} r={r} fill="none" stroke={rgb(LIFEBUOY.rim)} strokeWidth={width + 5} />
      <circle cx={50} cy={50} r={r} fill="none" stroke={rgb(LIFEBUOY.white)} strokeWidth={width - 1} />
      {/* Two red quarters, opposite each other, as on a real lifebuoy. */}
      <circle cx={50} cy={50} r={r} fill="none" stroke={rgb(LIFEBUOY.red)} strokeWidth={width - 1} strokeDasharray={`${quarter} ${quarter}`} transform="rotate(0 50 50)" />
    </svg>
  );
}
