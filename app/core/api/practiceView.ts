import type { PracticeView } from '../../common/api.ts';
import { DEFAULT_WINDOW_MS, mergePractice, practiceOutageNow } from '../practice/mergePractice.ts';
import { defaultMinWorkstations } from '../practice/outageDetection.ts';
import { safeWorkstationName } from '../practice/shareFormat.ts';
import { ApiError } from './apiError.ts';
import type { SiteContext } from './siteContext.ts';

/**
 * The Practice page: the share merged exactly as `lifeboat practice --share` merges it (per
 * workstation counts, last seen, clock skew, outages, files skipped), with this PC marked. No
 * share set up is an answer, not an error; a share that cannot be read is an error IT can act on.
 */
export async function practiceView(site: Pick<SiteContext, 'sharePath' | 'workstation'>, now: number): Promise<PracticeView> {
  if (site.sharePath === null) {
    return { sharePath: null, generatedAt: new Date(now).toISOString(), rule: { windowMinutes: DEFAULT_WINDOW_MS / 60_000, minWorkstations: defaultMinWorkstations(0) }, workstations: [], outages: [], skipped: [], outageNow: null };
  }
  let merged;
  try {
    merged = await mergePractice(site.sharePath, { now });
  } catch (err) {
    throw new ApiError('SHARE_UNAVAILABLE', (err as Error).message);
  }
  const me = safeWorkstationName(site.workstation).toLowerCase();
  const outage = practiceOutageNow(merged, now);
  return {
    sharePath: site.sharePath,
    generatedAt: merged.generatedAt,
    rule: { windowMinutes: merged.settings.windowMs / 60_000, minWorkstations: merged.settings.minWorkstations },
    workstations: merged.workstations.map((w) => ({
      name: w.name,
      counts: w.counts,
      incidents: w.incidents,
      lastSeen: w.lastSeen,
      lastIncidentAt: w.lastIncidentAt,
      clockSkewSeconds: w.clockSkewMs === null ? null : Math.round(w.clockSkewMs / 1000),
      skewCorrected: w.skewCorrected,
      thisComputer: w.name.toLowerCase() === me,
    })),
    outages: merged.outages,
    skipped: merged.skipped,
    outageNow: outage === null ? null : { workstations: outage.workstations, since: new Date(outage.since).toISOString(), names: outage.names },
  };
}
