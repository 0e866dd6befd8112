/*
 * LifeboatStdio: runs a Windows program under Wine with Windows pipes for its standard streams and
 * relays them to and from the standard streams Wine gave this process (Linux pipes, files or a
 * terminal), then exits with the program's exit code.
 *
 * Why: Windows Node (libuv) opens a pipe on stdin/stdout/stderr as a named pipe. Under Wine a Linux
 * pipe or socket handed over as a standard handle is not one, and Node dies at its first use of
 * process.stdin or process.stdout (EBADF). Pipes made here with CreatePipe are Wine named pipes, which
 * Node opens like on Windows; plain ReadFile/WriteFile, used by this relay, work on either kind.
 *
 *   LifeboatStdio.exe PROGRAM [ARGUMENTS…]   (the command line after PROGRAM is passed on unchanged)
 *
 * Build: x86_64-w64-mingw32-gcc -municode -O2 (scripts/windows/provision.js).
 */
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include <windows.h>

typedef struct {
  HANDLE from;
  HANDLE to;
  BOOL closeTo;
} Pump;

static DWORD WINAPI pump(LPVOID argument) {
  Pump *p = argument;
  static __thread char buffer[65536];
  for (;;) {
    DWORD got = 0;
    if (!ReadFile(p->from, buffer, sizeof buffer, &got, NULL) || got == 0) break;
    DWORD offset = 0;
    while (offset < got) {
      DWORD wrote = 0;
      if (!WriteFile(p->to, buffer + offset, got - offset, &wrote, NULL) || wrote == 0) goto done;
      offset += wrote;
    }
  }
done:
  if (p->closeTo) CloseHandle(p->to);
  return 0;
}

/* The command line after the first argument (this program), quoting kept as the caller wrote it. */
static WCHAR *restOfCommandLine(void) {
  WCHAR *line = GetCommandLineW();
  BOOL quoted = FALSE;
  for (; *line; line++) {
    if (*line == L'"') quoted = !quoted;
    else if (!quoted && (*line == L' ' || *line == L'\t')) break;
  }
  while (*line == L' ' || *line == L'\t') line++;
  return line;
}

int wmain(void) {
  WCHAR *command = restOfCommandLine();
  if (*command == L'\0') {
    static const char usage[] = "usage: LifeboatStdio.exe PROGRAM [ARGUMENTS...]\n";
    DWORD wrote;
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), usage, sizeof usage - 1, &wrote, NULL);
    return 2;
  }
  SECURITY_ATTRIBUTES inherit = {.nLength = sizeof inherit, .bInheritHandle = TRUE};
  HANDLE childIn, toChild, fromChildOut, childOut, fromChildErr, childErr;
  if (!CreatePipe(&childIn, &toChild, &inherit, 0) || !CreatePipe(&fromChildOut, &childOut, &inherit, 0) || !CreatePipe(&fromChildErr, &childErr, &inherit, 0)) return 3;
  /* Only the child's ends are inherited. */
  SetHandleInformation(toChild, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(fromChildOut, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(fromChildErr, HANDLE_FLAG_INHERIT, 0);

  /* The child lives no longer than this relay: when the relay is killed (Ctrl-C, a test's kill), so is it. */
  HANDLE job = CreateJobObjectW(NULL, NULL);
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE};
  if (job) SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);

  STARTUPINFOW startup = {.cb = sizeof startup, .dwFlags = STARTF_USESTDHANDLES, .hStdInput = childIn, .hStdOutput = childOut, .hStdError = childErr};
  PROCESS_INFORMATION child;
  if (!CreateProcessW(NULL, command, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, &startup, &child)) {
    static const char failed[] = "LifeboatStdio: the program could not be started\n";
    DWORD wrote;
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), failed, sizeof failed - 1, &wrote, NULL);
    return 127;
  }
  /* Our copies of the child's ends must go, or its output pipes never report end of file. */
  CloseHandle(childIn);
  CloseHandle(childOut);
  CloseHandle(childErr);
  if (job) AssignProcessToJobObject(job, child.hProcess);
  ResumeThread(child.hThread);
  CloseHandle(child.hThread);

  static Pump in, out, err;
  in = (Pump){GetStdHandle(STD_INPUT_HANDLE), toChild, TRUE};
  out = (Pump){fromChildOut, GetStdHandle(STD_OUTPUT_HANDLE), FALSE};
  err = (Pump){fromChildErr, GetStdHandle(STD_ERROR_HANDLE), FALSE};
  CloseHandle(CreateThread(NULL, 0, pump, &in, 0, NULL));
  HANDLE drains[2] = {CreateThread(NULL, 0, pump, &out, 0, NULL), CreateThread(NULL, 0, pump, &err, 0, NULL)};

  WaitForSingleObject(child.hProcess, INFINITE);
  /* Everything the child wrote reaches our caller before we exit (its pipes are closed by now). */
  WaitForMultipleObjects(2, drains, TRUE, 5000);
  DWORD code = 1;
  GetExitCodeProcess(child.hProcess, &code);
  /* The stdin pump may still be blocked reading from a caller that never closes its end: leave it. */
  ExitProcess(code);
}
