/*
 * LifeboatTestClient: a Win32 stand-in for a clinical client (EMIS Web, SystmOne, Vision), built with
 * mingw-w64 and run under Wine by the Windows lane (tests/windows). Only what Lifeboat meets on a
 * practice PC, done the way those clients do it:
 *
 *  - one top-level window titled like a clinical client, with a multi-line EDIT and a RichEdit
 *    (RichEdit20W) consultation box, an ES_PASSWORD box, and a custom editor that answers neither
 *    WM_GETTEXT nor UI Automation text (its text lives in its own buffer, as in owner-drawn editors);
 *  - log4net-style logging to <log dir>\client.log, opened the way log4net's FileAppender opens it
 *    (write, sharing read only), and rolled by closing and renaming it to client.log.N;
 *  - commands on standard input, one per line, answered on standard output:
 *      settext note|rich|password|opaque TEXT   WM_SETTEXT from this (non-UI) thread; "\n" is a line break
 *      focus note|rich|password|opaque          SetForegroundWindow + SetFocus on the UI thread
 *      title TEXT                               a new window title (the next patient)
 *      slow MS                                  the UI thread takes MS per message to its main window
 *      hang / resume                            block the UI thread / let it go on
 *      crash                                    access violation on the UI thread (exit 0xC0000005)
 *      close                                    WM_CLOSE: a clean exit, code 0
 *      log TEXT                                 one log line, "yyyy-MM-dd HH:mm:ss,fff [thread] INFO  Consultation - TEXT"
 *      seq FIRST COUNT                          COUNT numbered lines "Request SEQ n completed", back to back
 *      seqroll FIRST COUNT                      the same, 1 ms apart, rolling the log the first moment another
 *                                               process has it open (or after the last line): "rolled …" as for roll
 *      roll                                     roll the log by rename: "rolled ok N open-elsewhere=0|1" (whether
 *                                               another handle had the file open at that moment) or "rolled failed ERROR"
 *      hold-log / release-log                   open the log without FILE_SHARE_DELETE, as a careless tailer would
 *  - "ready PID" once the window is up; every command is answered "ok VERB" (or an error line).
 *
 * Build: x86_64-w64-mingw32-gcc -municode -mwindows (tests/windows/support/buildClient.ts).
 */
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include <windows.h>
#include <richedit.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum { ID_NOTE = 101, ID_RICH = 102, ID_PASSWORD = 103, ID_OPAQUE = 104 };

#define WM_APP_FOCUS (WM_APP + 1)
#define WM_APP_HANG (WM_APP + 2)
#define WM_APP_CRASH (WM_APP + 3)

#define MAIN_CLASS L"LifeboatTestClientMain"
#define OPAQUE_CLASS L"LifeboatOpaqueEditor"
#define OPAQUE_CHARS 4096

static HWND g_main, g_note, g_rich, g_password, g_opaque;
static volatile LONG g_slowMs;
static HANDLE g_resume;
static HANDLE g_stdout;
static CRITICAL_SECTION g_outLock, g_logLock;
static HANDLE g_log = INVALID_HANDLE_VALUE;
static HANDLE g_heldLog = INVALID_HANDLE_VALUE;
static WCHAR g_logPath[MAX_PATH];
static int g_rolls;
static WCHAR g_opaqueText[OPAQUE_CHARS];

static void say(const char *format, ...) {
  char line[1024];
  va_list args;
  va_start(args, format);
  int length = vsnprintf(line, sizeof line - 2, format, args);
  va_end(args);
  if (length < 0) return;
  if (length > (int)sizeof line - 2) length = (int)sizeof line - 2;
  line[length++] = '\n';
  DWORD written;
  EnterCriticalSection(&g_outLock);
  WriteFile(g_stdout, line, (DWORD)length, &written, NULL);
  LeaveCriticalSection(&g_outLock);
}

/* Milliseconds since 1970 from the system clock: the lane compares them with its own clock. */
static unsigned long long unixMs(void) {
  FILETIME now;
  GetSystemTimePreciseAsFileTime(&now);
  ULARGE_INTEGER ticks = {.LowPart = now.dwLowDateTime, .HighPart = now.dwHighDateTime};
  return (ticks.QuadPart - 116444736000000000ULL) / 10000ULL;
}

static WCHAR *utf8ToWide(const char *text) {
  int units = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
  WCHAR *wide = calloc((size_t)units + 1, sizeof(WCHAR));
  if (wide) MultiByteToWideChar(CP_UTF8, 0, text, -1, wide, units);
  return wide;
}

/* "\n" written by the test stands for a line break: an edit control wants CRLF. */
static WCHAR *withLineBreaks(const WCHAR *text) {
  size_t length = wcslen(text);
  WCHAR *out = calloc(length * 2 + 1, sizeof(WCHAR));
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < length; i++) {
    if (text[i] == L'\\' && text[i + 1] == L'n') {
      out[o++] = L'\r';
      out[o++] = L'\n';
      i++;
    } else {
      out[o++] = text[i];
    }
  }
  return out;
}

static HWND controlNamed(const char *name) {
  if (strcmp(name, "note") == 0) return g_note;
  if (strcmp(name, "rich") == 0) return g_rich;
  if (strcmp(name, "password") == 0) return g_password;
  if (strcmp(name, "opaque") == 0) return g_opaque;
  return NULL;
}

static BOOL openLog(void) {
  /* log4net's FileAppender: FileMode.Append, FileAccess.Write, FileShare.Read. */
  g_log = CreateFileW(g_logPath, FILE_APPEND_DATA, FILE_SHARE_READ, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  return g_log != INVALID_HANDLE_VALUE;
}

static void writeLogLine(const char *text) {
  SYSTEMTIME t;
  GetLocalTime(&t);
  char line[2048];
  int length = snprintf(line, sizeof line, "%04u-%02u-%02u %02u:%02u:%02u,%03u [%lu] INFO  Consultation - %s\r\n", t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute,
                        t.wSecond, t.wMilliseconds, GetCurrentThreadId(), text);
  if (length < 0) return;
  if (length >= (int)sizeof line) length = (int)sizeof line - 1;
  DWORD written;
  EnterCriticalSection(&g_logLock);
  if (g_log != INVALID_HANDLE_VALUE) WriteFile(g_log, line, (DWORD)length, &written, NULL);
  LeaveCriticalSection(&g_logLock);
}

/* Whether another handle has the log open right now: an exclusive open fails while any does. Call with g_logLock held. */
static int logOpenElsewhere(void) {
  HANDLE ownHandle = g_log;
  if (ownHandle != INVALID_HANDLE_VALUE) CloseHandle(ownHandle);
  g_log = INVALID_HANDLE_VALUE;
  HANDLE probe = CreateFileW(g_logPath, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  int elsewhere = probe == INVALID_HANDLE_VALUE && GetLastError() == ERROR_SHARING_VIOLATION;
  if (probe != INVALID_HANDLE_VALUE) CloseHandle(probe);
  if (ownHandle != INVALID_HANDLE_VALUE) openLog();
  return elsewhere;
}

/* log4net's RollingFileAppender: close, rename the live file away, open a new one under the old name. Call with g_logLock held. */
static void rollLocked(int openElsewhere) {
  CloseHandle(g_log);
  g_log = INVALID_HANDLE_VALUE;
  WCHAR rolled[MAX_PATH + 16];
  swprintf(rolled, MAX_PATH + 16, L"%ls.%d", g_logPath, g_rolls + 1);
  BOOL moved = MoveFileW(g_logPath, rolled);
  DWORD error = moved ? 0 : GetLastError();
  if (moved) g_rolls++;
  BOOL reopened = openLog();
  if (moved && reopened) say("rolled ok %d open-elsewhere=%d", g_rolls, openElsewhere);
  else if (!moved) say("rolled failed %lu", error);
  else say("rolled failed reopen %lu", GetLastError());
}

static void rollLog(void) {
  EnterCriticalSection(&g_logLock);
  rollLocked(logOpenElsewhere());
  LeaveCriticalSection(&g_logLock);
}

/*
 * COUNT numbered lines, 1 ms apart; the roll happens at the first moment another handle (the
 * tailer's) has the file open, so the rename meets a reader, or after the last line if none did.
 */
static void sequenceWithRoll(long first, long count) {
  int rolled = 0;
  char text[64];
  for (long n = first; n < first + count; n++) {
    snprintf(text, sizeof text, "Request SEQ %ld completed", n);
    writeLogLine(text);
    EnterCriticalSection(&g_logLock);
    if (!rolled && logOpenElsewhere()) {
      rollLocked(1);
      rolled = 1;
    }
    LeaveCriticalSection(&g_logLock);
    Sleep(1);
  }
  if (!rolled) {
    EnterCriticalSection(&g_logLock);
    rollLocked(0);
    LeaveCriticalSection(&g_logLock);
  }
}

static void holdLog(BOOL hold) {
  if (hold && g_heldLog == INVALID_HANDLE_VALUE) {
    g_heldLog = CreateFileW(g_logPath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  } else if (!hold && g_heldLog != INVALID_HANDLE_VALUE) {
    CloseHandle(g_heldLog);
    g_heldLog = INVALID_HANDLE_VALUE;
  }
}

static void command(char *line) {
  char *rest = strchr(line, ' ');
  if (rest) *rest++ = '\0';
  else rest = line + strlen(line);

  if (strcmp(line, "settext") == 0) {
    char *text = strchr(rest, ' ');
    if (text) *text++ = '\0';
    else text = rest + strlen(rest);
    HWND control = controlNamed(rest);
    WCHAR *wide = utf8ToWide(text);
    WCHAR *broken = wide ? withLineBreaks(wide) : NULL;
    if (!control || !broken) {
      say("error settext %s", rest);
    } else {
      SendMessageW(control, WM_SETTEXT, 0, (LPARAM)broken);
      say("ok settext");
    }
    free(broken);
    free(wide);
  } else if (strcmp(line, "focus") == 0) {
    HWND control = controlNamed(rest);
    if (!control) say("error focus %s", rest);
    else {
      SendMessageW(g_main, WM_APP_FOCUS, 0, (LPARAM)control);
      say("ok focus");
    }
  } else if (strcmp(line, "title") == 0) {
    WCHAR *wide = utf8ToWide(rest);
    if (wide) SendMessageW(g_main, WM_SETTEXT, 0, (LPARAM)wide);
    free(wide);
    say("ok title");
  } else if (strcmp(line, "slow") == 0) {
    InterlockedExchange(&g_slowMs, atol(rest));
    say("ok slow");
  } else if (strcmp(line, "hang") == 0) {
    ResetEvent(g_resume);
    PostMessageW(g_main, WM_APP_HANG, 0, 0);
    say("ok hang");
  } else if (strcmp(line, "resume") == 0) {
    SetEvent(g_resume);
    say("ok resume");
  } else if (strcmp(line, "crash") == 0) {
    say("crashing %llu", unixMs());
    PostMessageW(g_main, WM_APP_CRASH, 0, 0);
  } else if (strcmp(line, "close") == 0) {
    say("closing %llu", unixMs());
    PostMessageW(g_main, WM_CLOSE, 0, 0);
  } else if (strcmp(line, "log") == 0) {
    writeLogLine(rest);
    say("ok log");
  } else if (strcmp(line, "seq") == 0) {
    /* seq FIRST COUNT: COUNT lines "SEQ n" back to back, as a busy client writes them */
    long first = 0, count = 0;
    if (sscanf(rest, "%ld %ld", &first, &count) != 2 || count < 0) {
      say("error seq %s", rest);
      return;
    }
    char text[64];
    for (long n = first; n < first + count; n++) {
      snprintf(text, sizeof text, "Request SEQ %ld completed", n);
      writeLogLine(text);
    }
    say("ok seq");
  } else if (strcmp(line, "seqroll") == 0) {
    long first = 0, count = 0;
    if (sscanf(rest, "%ld %ld", &first, &count) != 2 || count < 0) say("error seqroll %s", rest);
    else sequenceWithRoll(first, count);
  } else if (strcmp(line, "roll") == 0) {
    rollLog();
  } else if (strcmp(line, "hold-log") == 0) {
    holdLog(TRUE);
    say(g_heldLog != INVALID_HANDLE_VALUE ? "ok hold-log" : "error hold-log %lu", GetLastError());
  } else if (strcmp(line, "release-log") == 0) {
    holdLog(FALSE);
    say("ok release-log");
  } else if (line[0] != '\0') {
    say("error unknown %s", line);
  }
}

/* The test drives the client through standard input, from a thread that is not the UI thread. */
static DWORD WINAPI readCommands(LPVOID unused) {
  (void)unused;
  HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
  static char buffer[65536];
  size_t filled = 0;
  for (;;) {
    DWORD got = 0;
    if (!ReadFile(input, buffer + filled, (DWORD)(sizeof buffer - 1 - filled), &got, NULL) || got == 0) break;
    filled += got;
    char *start = buffer;
    char *newline;
    while ((newline = memchr(start, '\n', filled - (size_t)(start - buffer))) != NULL) {
      *newline = '\0';
      if (newline > start && newline[-1] == '\r') newline[-1] = '\0';
      command(start);
      start = newline + 1;
    }
    filled -= (size_t)(start - buffer);
    memmove(buffer, start, filled);
    if (filled == sizeof buffer - 1) filled = 0; /* a line longer than the buffer is dropped */
  }
  return 0;
}

static LRESULT CALLBACK opaqueProc(HWND hwnd, UINT message, WPARAM wParam, LPARAM lParam) {
  switch (message) {
    case WM_GETTEXT:
    case WM_GETTEXTLENGTH:
      return 0; /* keeps its text to itself, like an owner-drawn editor */
    case WM_SETTEXT:
      lstrcpynW(g_opaqueText, (const WCHAR *)lParam, OPAQUE_CHARS);
      InvalidateRect(hwnd, NULL, TRUE);
      return TRUE;
    case WM_GETDLGCODE:
      return DLGC_WANTALLKEYS;
    case WM_LBUTTONDOWN:
      SetFocus(hwnd);
      return 0;
    case WM_PAINT: {
      PAINTSTRUCT paint;
      HDC dc = BeginPaint(hwnd, &paint);
      RECT area;
      GetClientRect(hwnd, &area);
      DrawTextW(dc, g_opaqueText, -1, &area, DT_LEFT | DT_WORDBREAK);
      EndPaint(hwnd, &paint);
      return 0;
    }
  }
  return DefWindowProcW(hwnd, message, wParam, lParam);
}

static LRESULT CALLBACK mainProc(HWND hwnd, UINT message, WPARAM wParam, LPARAM lParam) {
  /* "Slow": every message to the main window, WM_NULL included, costs the UI thread this long. */
  LONG slow = g_slowMs;
  if (slow > 0 && message != WM_APP_HANG) Sleep((DWORD)slow);
  switch (message) {
    case WM_CREATE: {
      HINSTANCE instance = ((CREATESTRUCTW *)lParam)->hInstance;
      DWORD edit = WS_CHILD | WS_VISIBLE | WS_BORDER | WS_TABSTOP;
      g_note = CreateWindowExW(0, L"EDIT", L"", edit | ES_MULTILINE | ES_AUTOVSCROLL | ES_WANTRETURN | WS_VSCROLL, 10, 10, 560, 160, hwnd, (HMENU)ID_NOTE, instance, NULL);
      g_rich = CreateWindowExW(0, RICHEDIT_CLASSW, L"", edit | ES_MULTILINE | ES_AUTOVSCROLL | ES_WANTRETURN | WS_VSCROLL, 10, 180, 560, 160, hwnd, (HMENU)ID_RICH, instance, NULL);
      g_password = CreateWindowExW(0, L"EDIT", L"", edit | ES_PASSWORD | ES_AUTOHSCROLL, 10, 350, 260, 24, hwnd, (HMENU)ID_PASSWORD, instance, NULL);
      g_opaque = CreateWindowExW(0, OPAQUE_CLASS, L"", edit, 10, 384, 560, 60, hwnd, (HMENU)ID_OPAQUE, instance, NULL);
      return (g_note && g_rich && g_password && g_opaque) ? 0 : -1;
    }
    case WM_APP_FOCUS:
      SetForegroundWindow(hwnd);
      SetFocus((HWND)lParam);
      return 0;
    case WM_APP_HANG:
      WaitForSingleObject(g_resume, INFINITE);
      return 0;
    case WM_DESTROY:
      PostQuitMessage(0);
      return 0;
  }
  return DefWindowProcW(hwnd, message, wParam, lParam);
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, PWSTR commandLine, int show) {
  (void)previous;
  (void)commandLine;
  (void)show;
  InitializeCriticalSection(&g_outLock);
  InitializeCriticalSection(&g_logLock);
  g_stdout = GetStdHandle(STD_OUTPUT_HANDLE);
  g_resume = CreateEventW(NULL, TRUE, FALSE, NULL);

  const WCHAR *logDir = NULL;
  const WCHAR *title = L"EMIS Web Health Care System - Consultation - TEST, Patient (Mr)";
  for (int i = 1; i + 1 < __argc; i += 2) {
    if (wcscmp(__wargv[i], L"--log-dir") == 0) logDir = __wargv[i + 1];
    else if (wcscmp(__wargv[i], L"--title") == 0) title = __wargv[i + 1];
  }
  if (logDir) {
    CreateDirectoryW(logDir, NULL);
    swprintf(g_logPath, MAX_PATH, L"%ls\\client.log", logDir);
    if (!openLog()) {
      say("error log %lu", GetLastError());
      return 2;
    }
  }

  if (!LoadLibraryW(L"riched20.dll")) {
    say("error riched20 %lu", GetLastError());
    return 2;
  }
  WNDCLASSW opaque = {.lpfnWndProc = opaqueProc, .hInstance = instance, .lpszClassName = OPAQUE_CLASS, .hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_IBEAM)};
  WNDCLASSW main = {.lpfnWndProc = mainProc, .hInstance = instance, .lpszClassName = MAIN_CLASS, .hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1), .hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW)};
  if (!RegisterClassW(&opaque) || !RegisterClassW(&main)) return 2;
  g_main = CreateWindowExW(0, MAIN_CLASS, title, WS_OVERLAPPEDWINDOW | WS_VISIBLE, 20, 20, 600, 500, NULL, NULL, instance, NULL);
  if (!g_main) {
    say("error window %lu", GetLastError());
    return 2;
  }
  UpdateWindow(g_main);
  SetForegroundWindow(g_main);
  SetFocus(g_note);
  writeLogLine("LifeboatTestClient started");
  say("ready %lu", GetCurrentProcessId());
  CreateThread(NULL, 0, readCommands, NULL, 0, NULL);

  MSG message;
  while (GetMessageW(&message, NULL, 0, 0) > 0) {
    if (message.message == WM_APP_CRASH) {
      writeLogLine("Unhandled exception: System.AccessViolationException: Attempted to read or write protected memory.");
      /* An access violation outside any handler: Windows ends the process with 0xC0000005. */
      *(volatile int *)(uintptr_t)0 = 1;
    }
    TranslateMessage(&message);
    DispatchMessageW(&message);
  }
  EnterCriticalSection(&g_logLock);
  if (g_log != INVALID_HANDLE_VALUE) CloseHandle(g_log);
  g_log = INVALID_HANDLE_VALUE;
  LeaveCriticalSection(&g_logLock);
  return (int)message.wParam;
}
