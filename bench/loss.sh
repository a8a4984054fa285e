#!/usr/bin/env bash
# Loss recovery figures (issue 6): runs the Chromium end-to-end loss tests against the in-process server with the
# test-only impairment hook and prints one table.
#
#   bench/loss.sh                      publisher leg (NACK only, and with FlexFEC) at 5, 10 and 20% loss with 50 ms added RTT, subscriber leg at 5%
#   RATES=0.05 bench/loss.sh           only the rates given (fractions, comma-separated)
#   LEGS=publisher bench/loss.sh       only one leg (publisher | subscriber)
#
# Publisher leg: tests/Sfu.E2E.Tests/Loss/RepairDeadlineTests.cs (the server measures each repair against its frame's
# playout deadline). Subscriber leg: PacketLossTests.Subscriber_leg_loss_is_answered_from_the_retransmission_buffer_as_rtx.
# Heavy: two Chromium pages encode and decode for ~20 s per rate. OUT=FILE keeps the raw tab-separated lines.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RATES=${RATES:-0.05,0.10,0.20}
LEGS=${LEGS:-"publisher subscriber"}
OUT=${OUT:-$(mktemp /tmp/sfu-loss.XXXXXX.tsv)}
: > "$OUT"

cd "$ROOT"
dotnet build tests/Sfu.E2E.Tests -v quiet -nologo >/dev/null
for leg in $LEGS; do
    case $leg in
        publisher) filter="FullyQualifiedName~RepairDeadlineTests" ;;
        subscriber) filter="FullyQualifiedName~Subscriber_leg_loss_is_answered" ;;
        *) echo "unknown leg $leg" >&2; exit 2 ;;
    esac
    # A failed assertion still leaves its figures in OUT; the table shows them, the exit status says it failed.
    SFU_LOSS_RATES=$RATES SFU_LOSS_RESULTS=$OUT dotnet test tests/Sfu.E2E.Tests --no-build --filter "$filter" -nologo \
        >"$OUT.$leg.log" 2>&1 || echo "[loss] $leg: test failed, see $OUT.$leg.log" >&2
done

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' '
BEGIN {
    print "| leg | loss | added RTT ms | lost video pkts | repaired | repaired before due | unrepaired | mean repair ms | frames decoded | freezes | seconds |"
    print "|---|---|---|---|---|---|---|---|---|---|---|"
}
{
    due = $6 < 0 ? "n/a" : sprintf("%d (%.1f%%)", $6, 100 * $6 / $4)
    unrep = $7 < 0 ? "n/a" : $7
    mean = $8 < 0 ? "n/a" : $8
    printf "| %s | %d%% | %s | %d | %d (%.1f%%) | %s | %s | %s | %s | %s | %s |\n", $1, $2 * 100 + 0.5, $3, $4, $5, 100 * $5 / $4, due, unrep, mean, $9, $10, $11
}' "$OUT"
