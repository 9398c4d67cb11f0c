#!/usr/bin/env bash
# scripts/test-tmpdir.sh COMMAND [ARG...]: runs a test command with a temporary directory of its own, so that the
# tests leave nothing in the caller's. TMPDIR is a fresh directory under the caller's ${TMPDIR:-/tmp}; Node
# (os.tmpdir()), terraform and hashicorp/aws (Go's os.TempDir()) all write there. When the command ends, pass or
# fail (or on Ctrl-C), the warm servers of TF_AWS_WARM_DIR are stopped (they made socket directories there too),
# whatever is still in the directory is listed, and the directory is removed.
# Exits with the command's status; 1 when the command passed but left something behind: a test that kills a
# process must clean up what that process could not (tmpdirForKilled in test/support/processes.ts).
set -u
here=$(cd "$(dirname "$0")" && pwd)
caller=${TMPDIR:-/tmp}
caller=${caller%/}
# A unix socket path holds at most 107 bytes. The deepest socket the tests make is our /tfprovider-XXXXXX/plugin.sock
# (30 bytes) in a test's own TMPDIR (/tfkilled-XXXXXX, 16) in this run's (/tftest-XXXXXX, 14): 60 after the caller's.
if [ $(( ${#caller} + 60 )) -gt 107 ]; then
  echo "note: TMPDIR ($caller) is too long for the tests' unix sockets; the run's temporary directory goes in /tmp" >&2
  caller=/tmp
fi
run=$(mktemp -d "$caller/tftest-XXXXXX") || exit 1
# Others may pass through (not list it), as through /tmp: test/warm/attacks.test.ts's second user reaches its scratch.
chmod 711 "$run"
# tap's TypeScript loader keeps a compile cache in the temporary directory: kept in .tap instead, so that it stays warm
# from one run to the next (and fresh processes do not all race to write it at the start of every run).
export V8_COMPILE_CACHE_CACHE_DIR=${V8_COMPILE_CACHE_CACHE_DIR:-$here/../.tap/v8-compile-cache}

status=0
finish() {
  trap - EXIT INT TERM
  if [ -n "${TF_AWS_WARM_DIR:-}" ]; then
    TMPDIR=$run node "$here/../bin/lib/main.js" --warm-stop "$TF_AWS_WARM_DIR" >/dev/null 2>&1
  fi
  # Caches that test tooling keeps in the temporary directory (tap's TypeScript loader, tsx) are not the tests' doing.
  left=$(cd "$run" && find . -mindepth 1 \( -path './v8-compile-cache-*' -o -path './tsx-*' \) -prune -o -printf '  %M %P\n' | sort -k2)
  if [ -n "$left" ]; then
    printf 'the tests left these in their temporary directory %s (now removed):\n%s\n' "$run" "$left" >&2
    [ "$status" -eq 0 ] && status=1
  fi
  rm -rf "$run"
  exit "$status"
}
trap finish EXIT
trap 'status=130; exit' INT
trap 'status=143; exit' TERM

TMPDIR=$run "$@"
status=$?
