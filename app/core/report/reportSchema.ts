import { z } from 'zod';
import { IncidentKindSchema, SignalSourceSchema } from '../../common/incident.ts';
import { REPORT_SCHEMA, type ReportData } from './reportData.ts';

/**
 * The JSON report's schema (docs/report-schema.md describes each field). Tests check every
 * rendered report against it, so the document, the type and the output cannot drift apart.
 */

const isoTime = z.iso.datetime();
const kindCounts = z.object({ crash: z.number().int().min(0), hang: z.number().int().min(0), slow: z.number().int().min(0), exit: z.number().int().min(0) }).strict();

export const ReportIncidentSchema = z
  .object({
    id: z.string(),
    kind: IncidentKindSchema,
    app: z.string(),
    profile: z.string(),
    workstation: z.string().nullable(),
    startedAt: isoTime,
    endedAt: isoTime.nullable(),
    durationMinutes: z.number().min(0).nullable(),
    downtimeMinutes: z.number().min(0),
    open: z.boolean(),
    sources: z.array(SignalSourceSchema),
    signature: z.string().nullable(),
    clientVersion: z.string().nullable(),
    draftsAffected: z.number().int().min(0),
    evidence: z.array(z.string()),
  })
  .strict();

export const ReportDataSchema = z
  .object({
    schema: z.literal(REPORT_SCHEMA),
    generatedAt: isoTime,
    period: z.object({ from: isoTime, to: isoTime, timeZone: z.string() }).strict(),
    workstation: z.string().nullable(),
    totals: z
      .object({
        incidents: z.number().int().min(0),
        byKind: kindCounts,
        open: z.number().int().min(0),
        downtimeMinutes: z.number().min(0),
        slowMinutes: z.number().min(0),
        downtimeCapped: z.number().int().min(0),
        meanTimeBetweenCrashesMinutes: z.number().min(0).nullable(),
      })
      .strict(),
    perDay: z.array(kindCounts.extend({ date: z.iso.date(), downtimeMinutes: z.number().min(0) }).strict()),
    heatmap: z
      .object({
        weekdays: z.array(z.string()).length(7),
        hours: z.literal(24),
        cells: z.array(z.array(z.number().int().min(0)).length(24)).length(7),
        max: z.number().int().min(0),
      })
      .strict(),
    topSignatures: z.array(
      z
        .object({ signature: z.string(), count: z.number().int().min(1), byKind: kindCounts, apps: z.array(z.string()), firstSeen: isoTime, lastSeen: isoTime })
        .strict(),
    ),
    withoutSignature: z.number().int().min(0),
    clientVersions: z.array(
      z
        .object({ app: z.string(), version: z.string(), incidents: z.number().int().min(1), crashes: z.number().int().min(0), firstSeen: isoTime, lastSeen: isoTime })
        .strict(),
    ),
    consultationsAffected: z
      .object({ estimate: z.number().int().min(0), byKind: kindCounts, lookbackMinutes: z.number().min(0), method: z.string() })
      .strict(),
    redactions: z.object({ nhs: z.number(), postcode: z.number(), phone: z.number(), email: z.number(), dob: z.number(), name: z.number(), user: z.number() }).strict(),
    incidents: z.array(ReportIncidentSchema),
  })
  .strict();

/** The JSON report: the data as built, pretty-printed, with a trailing newline. */
export function renderJson(data: ReportData): string {
  return JSON.stringify(data, null, 2) + '\n';
}
