#!/usr/bin/env bash
# Simulcast under a squeeze (issue 5): runs the Chromium E2E squeeze scenario N times and prints min/median/max of
#   - time from the squeeze (300 kbps policer on the subscriber's downlink) to the first low-layer frame decoded,
#   - time from the end of the squeeze to the first high-layer frame decoded,
# plus, for the first, where the time went on the server (estimate low enough / allocator cap / forwarding switch).
#
#   N=3 bench/squeeze.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-3}
RESULTS=$(mktemp /tmp/sfu-squeeze.XXXXXX)
trap 'rm -f "$RESULTS"' EXIT

cd "$ROOT"
dotnet build tests/Sfu.E2E.Tests -v q -nologo >/dev/null
for i in $(seq 1 "$N"); do
  SFU_SQUEEZE_RESULTS=$RESULTS dotnet test tests/Sfu.E2E.Tests --no-build -v q -nologo \
    --filter "FullyQualifiedName~BandwidthSqueezeTests" >/dev/null || echo "run $i failed" >&2
done

# Each line: low_ms high_ms estimate_low_ms allocated_low_ms switched_low_ms
awk -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
  function stats(col, label,   n, i, j, t, v) {
    n = 0
    for (i = 1; i <= NR; i++) v[++n] = row[i, col]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    printf "%-38s min %6d  median %6d  max %6d ms\n", label, v[1], v[int((n + 1) / 2)], v[n]
  }
  { for (c = 1; c <= NF; c++) row[NR, c] = $c }
  END {
    if (NR == 0) { print "no successful runs"; exit 1 }
    printf "runs: %d (load average %s)\n", NR, load
    stats(1, "squeeze -> first low-layer frame")
    stats(3, "  squeeze -> estimate fits low only")
    stats(4, "  squeeze -> allocator caps at low")
    stats(5, "  squeeze -> forwarding switched to low")
    stats(2, "release -> first high-layer frame")
  }' "$RESULTS"
