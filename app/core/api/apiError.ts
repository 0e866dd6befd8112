import type { ApiErrorCode } from '../../common/api.ts';

/** An error meant for the person using the screen: its message is shown as it is, its code is one the screens know. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
