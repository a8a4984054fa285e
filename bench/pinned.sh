#!/usr/bin/env bash
# The SFU pinned to one CPU (one receive thread), the load generator to another: server CPU as a share of its own
# core, and whether the load generator keeps up (it reports its own CPU %).
#
#   bench/pinned.sh [LOADGEN FLAGS...]        e.g.  bench/pinned.sh --rooms 30
#
# SERVER_CPU / LOADGEN_CPU pick the CPUs (default 0 and 1). Needs taskset (util-linux).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER_CPU=${SERVER_CPU:-0}
LOADGEN_CPU=${LOADGEN_CPU:-1}
free_port() { python3 -c "import socket,sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])" "$1"; }
HTTP=$(free_port SOCK_STREAM)
UDP=$(free_port SOCK_DGRAM)
for p in src/Sfu.Service bench/Sfu.LoadGen; do dotnet build -c Release -v q -nologo "$ROOT/$p" >/dev/null; done
LOG=$(mktemp)
(cd "$ROOT/src/Sfu.Service/bin/Release/net10.0" && exec taskset -c "$SERVER_CPU" dotnet Sfu.Service.dll --config "$ROOT/config" \
  --urls "http://127.0.0.1:$HTTP" --set "webrtc.udp_port=$UDP" --set webrtc.announced_ip=127.0.0.1 --set webrtc.listen_ip=127.0.0.1 \
  --set rooms.max_rooms=100000 --set security.rate_limit.enabled=false --set logging.level=Warning \
  --set performance.worker_threads=1) >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$HTTP/health" >/dev/null 2>&1 && break; sleep 0.2; done
taskset -c "$LOADGEN_CPU" dotnet "$ROOT/bench/Sfu.LoadGen/bin/Release/net10.0/Sfu.LoadGen.dll" --target sfu \
  --server "http://127.0.0.1:$HTTP/" --server-pid "$PID" "$@"
