import type { HealthState } from '../../../app/common/incident.ts';
import { HEALTH } from './healthLabels.ts';

/** The state as symbol + words + colour: readable without colour vision. */
export function HealthBadge(props: { state: HealthState; client?: string; large?: boolean }) {
  const h = HEALTH[props.state];
  return (
    <span className={`badge badge-${h.tone}${props.large ? ' badge-large' : ''}`} data-health={props.state}>
      <span className="badge-symbol" aria-hidden="true">
        {h.symbol}
      </span>
      {props.client ? `${props.client}: ` : ''}
      {h.label}
    </span>
  );
}
