#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine that has only the .NET SDK, then runs
# every test project in Sfu.sln. Idempotent: when everything is installed it only checks.
#   chromium           end-to-end tests drive Debian's Chromium through Playwright (no playwright install)
#   python3-aiortc     tests/Sfu.E2E.Tests/peers/aiortc_peer.py, a second WebRTC stack
#   python3-websockets its signaling client
#   ffmpeg, openssl    media and certificate tooling used by tests
#   tcpdump            the Robustness tests capture the media port on lo to show SRTP on the wire
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(chromium python3-aiortc python3-websockets ffmpeg openssl tcpdump)

missing=()
for p in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q "${missing[@]}"
fi

# The Debian interpreter, not whatever python3 is first on PATH (PEERS.md).
/usr/bin/python3 -c 'import aiortc, aioice, websockets, av, numpy' \
  || { echo "python3-aiortc / python3-websockets are not importable by /usr/bin/python3" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

# Build once, then run the test projects one after another: the end-to-end tests drive browsers and
# a real server, and on a 2-core machine they must not compete with the unit tests for CPU.
dotnet build Sfu.sln -c Debug -v quiet -nologo
log=$(mktemp)
status=0
count() { awk -v key="$1" '$1 == key":" && $2 ~ /^[0-9]+$/ { s += $2 } END { print s + 0 }' "${2:-$log}"; }
failed_names() { awk '/^[ \t]+Failed / { print $2 }' "$1" | sed 's/(.*//' | sort -u; }
rerun_passed=0
flaky=()
for project in tests/*/*.csproj; do
  echo "=== $project"
  run=$(mktemp)
  if ! dotnet test "$project" --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$run"; then
    # A real browser and server share two cores with everything else here: a test that failed on timing gets one
    # more run on its own. It passes only if that run passes, and it is named below as flaky either way.
    names=$(failed_names "$run")
    n=$(count Failed "$run")
    if [ -n "$names" ] && [ "$n" -le 3 ]; then
      filter=$(echo "$names" | sed 's/^/FullyQualifiedName=/' | paste -sd'|')
      echo "=== $project: running the failed tests once more: $(echo $names)"
      if dotnet test "$project" --no-build --logger "console;verbosity=normal" --filter "$filter" "$@" 2>&1 | tee "$run.again"; then
        rerun_passed=$((rerun_passed + n))
        while read -r t; do flaky+=("$t"); done <<< "$names"
        # Only the first run's failures go to the failure summary below, marked as passed when run again.
        sed -i 's/^\([ \t]*\)Failed /\1Failed (passed when run again) /' "$run"
      else
        status=1
      fi
      rm -f "$run.again"
    else
      status=1
    fi
  fi
  cat "$run" >> "$log"
  rm -f "$run"
done

# One closing line for every project together.
passed=$(( $(count Passed) + rerun_passed ))
failed=$(( $(count Failed) - rerun_passed ))
skipped=$(count Skipped)
if [ "${#flaky[@]}" -gt 0 ]; then
  echo "=== flaky: failed, then passed when run again on its own"
  printf '%s\n' "${flaky[@]}"
fi
# The failures again, at the end, where a CI log that keeps only its tail still shows them.
if grep -qE '^\s+Failed ' "$log"; then
  echo "=== failures, with their messages"
  # Each failure's name and error message, without the stack trace.
  awk '/^[ \t]+Failed / { show = 1; n = 0 } /^[ \t]+Stack Trace:/ { show = 0 } show && n++ < 12 { print }' "$log"
fi
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then echo "no tests ran" >&2; exit 1; fi
exit $status
