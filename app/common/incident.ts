import { z } from 'zod';

export const INCIDENT_KINDS = ['crash', 'hang', 'slow', 'exit'] as const;
export const IncidentKindSchema = z.enum(INCIDENT_KINDS);
export type IncidentKind = z.infer<typeof IncidentKindSchema>;

export const SIGNAL_SOURCES = ['process', 'log', 'wer', 'eventlog', 'window'] as const;
export const SignalSourceSchema = z.enum(SIGNAL_SOURCES);
export type SignalSource = z.infer<typeof SignalSourceSchema>;

export const HEALTH_STATES = ['ok', 'slow', 'hung', 'crashed', 'not-running'] as const;
export const HealthStateSchema = z.enum(HEALTH_STATES);
export type HealthState = z.infer<typeof HealthStateSchema>;

/** One stored incident: what happened to the clinical client, when, and the evidence from every source. */
export const IncidentSchema = z.object({
  id: z.string(),
  kind: IncidentKindSchema,
  app: z.string(),
  profile: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  sources: z.array(SignalSourceSchema),
  evidence: z.array(z.string()),
  signature: z.string().nullable(),
  workstation: z.string().optional(),
});
export type Incident = z.infer<typeof IncidentSchema>;
