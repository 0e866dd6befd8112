import type { HealthState } from '../../../app/common/incident.ts';
import { HealthIcon } from './HealthIcon.tsx';
import { HEALTH } from './healthLabels.ts';

/** The state as icon + words + colour: readable without colour vision. */
export function HealthBadge(props: { state: HealthState; client?: string; large?: boolean }) {
  const h = HEALTH[props.state];
  return (
    <span className={`badge badge-${h.tone}${props.large ? ' badge-large' : ''}`} data-health={props.state}>
      <HealthIcon state={props.state} size={props.large ? 24 : 16} />
      {props.client ? `${props.client}: ` : ''}
      {h.label}
    </span>
  );
}
