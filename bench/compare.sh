#!/usr/bin/env bash
# Side-by-side: our SFU, Janus VideoRoom and two bare relays (the ceilings) under the same load generator workload.
#
#   bench/compare.sh [LOADGEN FLAGS...]      e.g.  bench/compare.sh --rooms 10
#
# Defaults: 1 room, 1 publisher, 6 subscribers, 20 s window, 1 Mbps. Flags go to every run unchanged.
# OUT=DIR keeps the JSON reports and table.md there (default: a temp dir). JANUS_PORT picks Janus's HTTP port
# (default: a free one). TARGETS="sfu janus udp-relay srtp-relay" (the default) picks the runs; the table reads
# every report in OUT, so re-running one target into the same OUT refreshes its column only.
# Needs root for apt-get when janus or gcc is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/sfu-compare.XXXXXX)
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
DEFAULTS=(--rooms 1 --publishers-per-room 1 --subscribers-per-room 6 --duration 20 --bitrate 1000000)
ARGS=("${DEFAULTS[@]}" "$@")   # later flags win: LoadGenOptions.Parse applies them in order
JANUS_PID=""
TARGETS=${TARGETS:-"sfu janus udp-relay srtp-relay"}

say() { echo "[compare] $*" >&2; }

cleanup() {
    if [[ -n "$JANUS_PID" ]] && kill -0 "$JANUS_PID" 2>/dev/null; then
        kill -TERM "$JANUS_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$JANUS_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$JANUS_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT

# --- Janus and the shim -------------------------------------------------------------------------------------
if ! command -v janus >/dev/null || ! command -v gcc >/dev/null; then
    say "installing janus and gcc (apt-get)"
    apt-get update -qq && apt-get install -y -qq janus gcc >/dev/null
fi
LIBDIR=$(dirname "$(dirname "$(find /usr/lib -path '*janus/plugins/libjanus_videoroom.so' | head -1)")")
[[ -d "$LIBDIR/plugins" ]] || { echo "janus plugins not found under /usr/lib" >&2; exit 1; }
gcc -shared -fPIC -O2 -o "$WORK/loopback_shim.so" "$ROOT/bench/janus/loopback_shim.c" -ldl

JANUS_PORT=${JANUS_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
CONF="$WORK/janus"
mkdir -p "$CONF"
sed -e "s#@CONFDIR@#$CONF#g" -e "s#@LIBDIR@#$LIBDIR#g" "$ROOT/bench/janus/janus.jcfg.in" > "$CONF/janus.jcfg"
sed -e "s#@HTTP_PORT@#$JANUS_PORT#g" "$ROOT/bench/janus/janus.transport.http.jcfg.in" > "$CONF/janus.transport.http.jcfg"
cp "$ROOT/bench/janus/janus.plugin.videoroom.jcfg" "$CONF/"

# --- builds -------------------------------------------------------------------------------------------------
say "building (Release): Sfu.Service, Sfu.LoadGen, Sfu.Relay"
for p in src/Sfu.Service bench/Sfu.LoadGen bench/Sfu.Relay; do
    dotnet build -c Release -v q -nologo "$ROOT/$p" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done
LOADGEN=(dotnet "$ROOT/bench/Sfu.LoadGen/bin/Release/net10.0/Sfu.LoadGen.dll")

run() { # name, extra flags...
    local name=$1; shift
    say "run $name: ${ARGS[*]} $*"
    (cd "$ROOT" && "${LOADGEN[@]}" "$@" "${ARGS[@]}" --json "$OUT/$name.json") >"$OUT/$name.txt" 2>"$OUT/$name.log" || say "$name: load generator exit $? (see $OUT/$name.log)"
    cat "$OUT/$name.txt" >&2
}

wanted() { [[ " $TARGETS " == *" $1 "* ]]; }

echo "$(date -u +%FT%TZ) [$TARGETS] load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
if wanted sfu; then run sfu --target sfu --start-server; fi

if wanted janus; then
say "starting janus on 127.0.0.1:$JANUS_PORT (config $CONF)"
LD_PRELOAD="$WORK/loopback_shim.so" janus -F "$CONF" -C "$CONF/janus.jcfg" >"$OUT/janus-server.log" 2>&1 &
JANUS_PID=$!
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$JANUS_PORT/janus/info" >/dev/null 2>&1 && break
    kill -0 "$JANUS_PID" 2>/dev/null || { tail -20 "$OUT/janus-server.log" >&2; echo "janus exited" >&2; exit 1; }
    sleep 0.1
done
run janus --target janus --janus "http://127.0.0.1:$JANUS_PORT/janus" --server-pid "$JANUS_PID"
cleanup
JANUS_PID=""
fi

if wanted udp-relay; then run udp-relay --target udp-relay --start-server; fi
if wanted srtp-relay; then run srtp-relay --target srtp-relay --start-server; fi
echo "$(date -u +%FT%TZ) [$TARGETS] load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"

# --- table --------------------------------------------------------------------------------------------------
python3 - "$OUT" <<'PY' | tee "$OUT/table.md"
import json, os, sys
out = sys.argv[1]
names = ["sfu", "janus", "udp-relay", "srtp-relay"]
r = {}
for n in names:
    p = os.path.join(out, n + ".json")
    if os.path.exists(p):
        r[n] = json.load(open(p))
def g(n, k):
    v = r.get(n, {}).get(k)
    return v
def f(v, fmt="{:.2f}"):
    return "n/a" if v is None else fmt.format(v)
def ratio(a, b, fmt="{:.2f}x"):
    return "n/a" if a in (None, 0) or b in (None, 0) else fmt.format(a / b)
rows = [
    ("subscribers with media", "subscribersWithMedia", "{:.0f}"),
    ("forwarded packets/s", "forwardedPacketsPerSecond", "{:.0f}"),
    ("loss %", "lossPercent", "{:.3f}"),
    ("CPU % of one core", "serverCpuPercent", "{:.1f}"),
    ("CPU-us per forwarded packet", "serverCpuMicrosPerPacket", "{:.1f}"),
    ("latency P50 ms", "latencyP50Ms", "{:.3f}"),
    ("latency P95 ms", "latencyP95Ms", "{:.3f}"),
    ("latency P99 ms", "latencyP99Ms", "{:.3f}"),
    ("peak RSS MB", "serverPeakRssMb", "{:.0f}"),
    ("threads", "serverThreads", "{:.0f}"),
    ("join -> media P50 ms", "joinP50Ms", "{:.0f}"),
    ("join -> media P95 ms", "joinP95Ms", "{:.0f}"),
]
any_r = next(iter(r.values()), None)
if any_r:
    print(f"scenario: {any_r['rooms']} room(s) x ({any_r['publishersPerRoom']} pub + {any_r['subscribersPerRoom']} sub), "
          f"{any_r['bitrateBps'] // 1000} kbps, window {any_r['windowSeconds']:.0f} s")
print(open(os.path.join(out, "load.txt")).read().strip())
print()
print("| metric | our SFU | Janus | SFU / Janus | UDP relay | SRTP relay |")
print("|---|---:|---:|---:|---:|---:|")
for label, key, fmt in rows:
    s, j = g("sfu", key), g("janus", key)
    print(f"| {label} | {f(s, fmt)} | {f(j, fmt)} | {ratio(s, j)} | {f(g('udp-relay', key), fmt)} | {f(g('srtp-relay', key), fmt)} |")
s_us, j_us = g("sfu", "serverCpuMicrosPerPacket"), g("janus", "serverCpuMicrosPerPacket")
u_us, t_us = g("udp-relay", "serverCpuMicrosPerPacket"), g("srtp-relay", "serverCpuMicrosPerPacket")
print()
print("% of ceiling = ceiling's CPU-us per packet / target's (100 % = as cheap as the bare relay):")
print("| target | vs UDP relay | vs SRTP relay |")
print("|---|---:|---:|")
for name, us in (("our SFU", s_us), ("Janus", j_us)):
    print(f"| {name} | {ratio(u_us, us, '{:.0%}')} | {ratio(t_us, us, '{:.0%}')} |")
for n in names:
    for e in r.get(n, {}).get("errors", [])[:3]:
        print(f"error ({n}): {e}")
print()
print(f"reports: {out}")
PY
