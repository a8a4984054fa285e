#!/bin/bash
# Idle cost of the server (docs/PERFORMANCE.md, "Idle cost and memory"): starts the Release build with no clients,
# waits WARM seconds (default 15), then prints the CPU it used over WINDOW seconds (default 20) as % of one core
# (utime + stime from /proc), its threads and RSS, and the load average before and after.
# usage: [WARM=S] [WINDOW=S] [SERVER_ARGS="--set k=v ..."] bench/idle-cpu.sh [ENV=VALUE ...]   e.g. WARM=45 bench/idle-cpu.sh DOTNET_gcServer=0
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DLL=$ROOT/src/Sfu.Service/bin/Release/net10.0/Sfu.Service.dll
[ -f "$DLL" ] || dotnet build -c Release -v q "$ROOT/src/Sfu.Service"
HTTP=$((20000 + RANDOM % 20000)); UDP=$((HTTP + 1))
LOG=$(mktemp /tmp/sfu-idle-XXXX.log)
cd "$(dirname "$DLL")"
env "$@" dotnet "$DLL" --config "$ROOT/config" --urls "http://127.0.0.1:$HTTP" --set webrtc.udp_port=$UDP \
  --set webrtc.announced_ip=127.0.0.1 --set webrtc.listen_ip=127.0.0.1 --set logging.level=Warning --set metrics.port=0 ${SERVER_ARGS:-} >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
sleep "${WARM:-15}"
cpu() { awk '{print $14 + $15}' /proc/$PID/stat; }
HZ=$(getconf CLK_TCK); WINDOW=${WINDOW:-20}
L1=$(cut -d' ' -f1 /proc/loadavg); A=$(cpu)
sleep "$WINDOW"
B=$(cpu); L2=$(cut -d' ' -f1 /proc/loadavg)
echo "idle: $((B - A)) ticks in ${WINDOW} s = $(echo "scale=2; 100 * ($B - $A) / $HZ / $WINDOW" | bc) % of a core;" \
  "threads $(ls /proc/$PID/task | wc -l), RSS $(awk '/VmRSS/ {print int($2 / 1024)}' /proc/$PID/status) MB; load average $L1 -> $L2 (log $LOG)"
