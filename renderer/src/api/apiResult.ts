import type { ApiErrorCode, ApiResult } from '../../../app/common/api.ts';

export const failure = (code: ApiErrorCode, message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/** Whether a value from the other side of a boundary really is an ApiResult. */
export function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'value' in v;
  // Any code string passes: a newer Lifeboat may add codes, and the message is what the GP reads.
  if (v.ok === false) return typeof v.error === 'object' && v.error !== null && typeof v.error.code === 'string' && typeof v.error.message === 'string';
  return false;
}

export const UNREACHABLE_MESSAGE = 'Lifeboat is not answering. Your text is still on this screen; copy it somewhere safe if this lasts.';
const UNAUTHORIZED_MESSAGE = 'This page’s access key is no longer valid (Lifeboat was restarted). Open the address Lifeboat printed when it started.';

/**
 * An HTTP answer as an ApiResult: the server's own ApiResult whatever the status (it explains
 * itself best), otherwise a message a GP can act on. Never throws.
 */
export function toApiResult(status: number, bodyText: string): ApiResult<unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  if (isApiResult(parsed)) {
    if (status === 401 && !parsed.ok) return failure('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    return parsed;
  }
  if (status === 401) return failure('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
  if (status === 403) return failure('FORBIDDEN', 'Lifeboat refused this page (it was not opened from Lifeboat’s own address).');
  return failure(`HTTP_${status}`, `Lifeboat answered unexpectedly (HTTP ${status}).`);
}
