#!/usr/bin/env sh
# The system packages `./nodew test` needs on a Debian machine, checked before any test runs.
# Missing ones are installed when this is root with apt-get (a fresh CI machine); otherwise it
# stops with one line naming the exact command to run. LIFEBOAT_SKIP_PREREQUISITES=1 skips the check.
#
#   chromium                  end-to-end tests (Playwright drives Debian's Chromium)
#   rsyslog, rsyslog-gnutls   syslog export against a real rsyslog, TCP and TLS
#   openssl                   the TLS test certificates
#   unzip                     evidence packs checked by a real unzip
#   wine64, xvfb              the Windows lane: Lifeboat's Win32 code under Wine on a virtual display
#   gcc-mingw-w64-x86-64      the Windows lane's own Win32 test client, built from C
#   strace                    proves the vault writes no temporary file (every open and write traced)
set -eu

[ "${LIFEBOAT_SKIP_PREREQUISITES:-}" = "1" ] && exit 0

has() { command -v "$1" >/dev/null 2>&1; }
need=""
add() { need="$need $1"; }

has chromium || add chromium
has rsyslogd || [ -x /usr/sbin/rsyslogd ] || add rsyslog
ls /usr/lib/*/rsyslog/lmnsd_gtls.so >/dev/null 2>&1 || add rsyslog-gnutls
has openssl || add openssl
has unzip || add unzip
[ -x /usr/lib/wine/wine64 ] || has wine64 || add wine64
has Xvfb || add xvfb
has x86_64-w64-mingw32-gcc || add gcc-mingw-w64-x86-64
has strace || add strace

[ -z "$need" ] && exit 0

command="apt-get install -y --no-install-recommends$need"
if [ "$(id -u)" = "0" ] && has apt-get; then
  echo "lifeboat tests: installing system packages:$need" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null; then
    exit 0
  fi
  echo "lifeboat tests: installing$need failed; run as root: apt-get update && $command" >&2
  exit 1
fi
if has apt-get; then
  echo "lifeboat tests: missing system packages:$need; run: sudo apt-get update && sudo $command" >&2
else
  echo "lifeboat tests: missing system programs for:$need (Debian package names); install them with your package manager" >&2
fi
exit 1
