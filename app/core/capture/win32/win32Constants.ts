/** Win32 constants from the SDK headers (winuser.h, winbase.h, winerror.h, objbase.h). */

export const WM_NULL = 0x0000;
export const WM_GETTEXT = 0x000d;
export const WM_GETTEXTLENGTH = 0x000e;
/** Edit and RichEdit: the password character, 0 when the control shows its text. */
export const EM_GETPASSWORDCHAR = 0x00d2;

export const SMTO_BLOCK = 0x0001;
export const SMTO_ABORTIFHUNG = 0x0002;

export const GWL_STYLE = -16;
/** Edit-control style: the same bit means something else in other window classes. */
export const ES_PASSWORD = 0x0020;

export const GA_ROOT = 2;
export const GW_OWNER = 4;

export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;

export const CF_UNICODETEXT = 13;

export const ERROR_INVALID_WINDOW_HANDLE = 1400;
export const ERROR_TIMEOUT = 1460;

export const CLSCTX_INPROC_SERVER = 0x1;
