#!/usr/bin/env bash
# Benchmarks/fetch/run.sh - how fast feedwatch polls 1,000 feeds, against curl as the floor (issue 3).
#
# Generates N synthetic feeds with ../shared/bench/make_feeds.py (deterministic for N and SEED), serves them on
# 127.0.0.1 with ../shared/bench/serve_feeds.py (ETag/Last-Modified, keep-alive), and measures:
#
#   curl_floor    curl --parallel --parallel-max 8 over the URL list: one process, 8 keep-alive connections
#   curl_304      the same with If-Modified-Since, so every answer is a 304
#   fetch_only    FeedFetch alone (Benchmarks/fetch/FetchBench): all URLs cold, then all again with validators
#   cold          feedwatch run --once on an empty state: fetch, parse, analyse, commit, append alerts
#   all_304       feedwatch run --once again on the state a cold run left: every feed answers 304
#
# Each is run RUNS times (cold: COLD_RUNS); the table shows the median wall time, the median user+sys CPU
# time and the largest peak RSS (/usr/bin/time). The server's own counters confirm the all-304 runs saw
# only 304s. Targets (issue 3): all_304 under 1 s for 1,000 feeds; fetching within 2x curl_floor.
#
# Usage:   Benchmarks/fetch/run.sh                      (from anywhere; builds the release binaries first)
# Env:     N [1000]  SEED [42]  RUNS [5]  COLD_RUNS [3]  PORT [a free one]  OUT [/tmp/feedwatch-fetch-bench]
#          CONCURRENCY [16] poll.concurrency   CONNECTIONS [8] poll.connections_per_host (8 = curl's)
#          GZIP [0] 1 = the server gzips   SCRATCH [<repo>/.build] build folder
#          FEEDWATCH / FETCHBENCH: use these binaries instead of building
# Needs:   swift, python3, curl, /usr/bin/time (apt-get install time), and ../shared beside the repository.
# The config sets poll.host_gap: 0, since all 1,000 feeds share one host here (the default 1 s gap would
# space them 1 s apart, as it should for a real server).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED=$(cd "$REPO/../shared" 2>/dev/null && pwd) || { echo "../shared is absent beside $REPO" >&2; exit 1; }
N=${N:-1000}
SEED=${SEED:-42}
RUNS=${RUNS:-5}
COLD_RUNS=${COLD_RUNS:-3}
OUT=${OUT:-/tmp/feedwatch-fetch-bench}
CONCURRENCY=${CONCURRENCY:-16}
CONNECTIONS=${CONNECTIONS:-8}
GZIP=${GZIP:-0}
SCRATCH=${SCRATCH:-$REPO/.build}
SERVER_PID=
T0=$(date +%s)

log() { echo "[$(($(date +%s) - T0))s] $*" >&2; }

for tool in python3 curl swift; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (apt-get install time)" >&2; exit 1; }

# ------------------------------------------------------------------ binaries
if [ -z "${FEEDWATCH:-}" ]; then
  log "building feedwatch (release) in $SCRATCH"
  (cd "$REPO" && swift build -c release --static-swift-stdlib --product feedwatch --scratch-path "$SCRATCH" >&2)
  FEEDWATCH=$SCRATCH/release/feedwatch
fi
if [ -z "${FETCHBENCH:-}" ]; then
  log "building fetchbench (release) in $SCRATCH/fetchbench"
  (cd "$HERE/FetchBench" && swift build -c release --scratch-path "$SCRATCH/fetchbench" >&2)
  FETCHBENCH=$SCRATCH/fetchbench/release/fetchbench
fi

# ------------------------------------------------------------------ corpus and server
mkdir -p "$OUT"
FEEDS=$OUT/feeds
if [ ! -f "$FEEDS/.n-$N-seed-$SEED" ]; then
  log "generating $N feeds (seed $SEED) in $FEEDS"
  rm -rf "$FEEDS"
  python3 "$SHARED/bench/make_feeds.py" "$FEEDS" -n "$N" --seed "$SEED" >&2
  touch "$FEEDS/.n-$N-seed-$SEED"
fi
if [ -z "${PORT:-}" ]; then
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
fi
BASE=http://127.0.0.1:$PORT

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"  # only the server this script started
    wait "$SERVER_PID" 2>/dev/null || true
    log "server stopped: $(tail -1 "$OUT/server.log")"
  fi
  SERVER_PID=
}
trap stop_server EXIT
trap 'exit 130' INT TERM

gz=()
[ "$GZIP" = 1 ] && gz=(--gzip)
python3 "$SHARED/bench/serve_feeds.py" "$FEEDS" --port "$PORT" --max-seconds 1800 "${gz[@]}" 2>"$OUT/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf --max-time 1 -o /dev/null "$BASE/__stats" && break
  sleep 0.1
done
curl -sf --max-time 2 -o /dev/null "$BASE/__stats" || { echo "the server did not start (see $OUT/server.log)" >&2; exit 1; }
log "server pid $SERVER_PID on $BASE (gzip=$GZIP)"

URLS=$OUT/urls.txt
find "$FEEDS" -name '*.xml' -printf '%f\n' | sort | sed "s#^#$BASE/#" >"$URLS"
sed 's/.*/url = "&"\noutput = "\/dev\/null"/' "$URLS" >"$OUT/urls.curlrc"
CZ=()
[ "$GZIP" = 1 ] && CZ=(--compressed)

CONFIG=$OUT/feedwatch.yaml
{
  echo "database: state/feedwatch.sqlite"
  echo "alert_log: state/alerts.jsonl"
  echo "topics: $REPO/Config/topics.yaml"
  echo "entities: $REPO/Config/entities.yaml"
  echo "poll: {interval: 15m, concurrency: $CONCURRENCY, timeout: 30s, host_gap: 0, connections_per_host: $CONNECTIONS}"
  echo "allow_private_addresses: true"
  echo "feeds:"
  awk '{ printf "  - url: %s\n    name: f%04d\n", $0, NR - 1 }' "$URLS"
} >"$CONFIG"
if ! "$FEEDWATCH" check --config "$CONFIG" >"$OUT/check.log" 2>&1; then
  echo "feedwatch rejects the benchmark config (needs poll.host_gap and poll.connections_per_host):" >&2
  head -5 "$OUT/check.log" >&2
  exit 1
fi

# ------------------------------------------------------------------ measuring
: >"$OUT/results.tsv"
stats() { curl -s --max-time 5 "$BASE/__stats"; }

# measure NAME RUNS PREPARE COMMAND: runs PREPARE (untimed) then COMMAND under /usr/bin/time, RUNS times.
measure() {
  local name=$1 runs=$2 prepare=$3 command=$4 before after
  rm -f "$OUT/$name.time" "$OUT/$name.out" "$OUT/$name.err"
  before=$(stats)
  log "measuring $name ($runs runs)"
  for _ in $(seq 1 "$runs"); do
    (cd "$OUT" && eval "$prepare")
    (cd "$OUT" && /usr/bin/time -a -o "$OUT/$name.time" -f '%e %U %S %M' bash -c "$command" >>"$OUT/$name.out" 2>>"$OUT/$name.err")
  done
  after=$(stats)
  python3 - "$name" "$OUT/$name.time" "$before" "$after" "$runs" >>"$OUT/results.tsv" <<'EOF'
import json, statistics, sys
name, path, before, after, runs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4]), int(sys.argv[5])
rows = [list(map(float, line.split())) for line in open(path) if line.strip()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
# The "before" /__stats request is itself counted as one 200 in "after".
delta = {k: (after.get(k, 0) - before.get(k, 0) - (k == "status_200")) // runs for k in ("status_200", "status_304")}
print(f"{name}\t{wall:.3f}\t{cpu:.3f}\t{rss:.1f}\t{delta['status_200']}\t{delta['status_304']}")
EOF
}

measure curl_floor "$RUNS" ":" "curl -s ${CZ[*]} --parallel --parallel-max 8 -K urls.curlrc"
measure curl_304 "$RUNS" ":" "curl -s ${CZ[*]} --parallel --parallel-max 8 -z 'Thu, 01 Jan 2037 00:00:00 GMT' -K urls.curlrc"
measure fetch_only "$RUNS" ":" "'$FETCHBENCH' urls.txt $CONCURRENCY $CONNECTIONS"
measure cold "$COLD_RUNS" "rm -rf state" "'$FEEDWATCH' run --config feedwatch.yaml --once --log-level warning"
measure all_304 "$RUNS" ":" "'$FEEDWATCH' run --config feedwatch.yaml --once --log-level warning"

stop_server

# ------------------------------------------------------------------ report
{
  echo "feedwatch fetch benchmark: $N feeds, $(wc -c <"$URLS" | awk '{print $1}') bytes of URLs, gzip=$GZIP,"
  echo "concurrency $CONCURRENCY, $CONNECTIONS connections per host; $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  printf '%-12s %9s %9s %9s %7s %7s\n' measure "wall s" "cpu s" "RSS MiB" "200s" "304s"
  while IFS=$'\t' read -r name wall cpu rss ok nm; do
    printf '%-12s %9s %9s %9s %7s %7s\n' "$name" "$wall" "$cpu" "$rss" "$ok" "$nm"
  done <"$OUT/results.tsv"
  echo
  python3 - "$OUT/fetch_only.out" <<'EOF'
import re, statistics, sys
passes = {}
for line in open(sys.argv[1]):
    match = re.match(r"fetchbench (\w+): (\d+) urls in ([\d.]+) s, (.*)", line)
    if match:
        passes.setdefault(match[1], []).append((float(match[3]), match[4].strip()))
for name, runs in passes.items():
    print(f"fetch_only {name} pass: median {statistics.median(t for t, _ in runs):.3f} s over {len(runs)} runs ({runs[-1][1]})")
EOF
  echo "feedwatch database after the cold runs: $(du -h "$OUT/state/feedwatch.sqlite" | cut -f1); alerts: $(wc -l <"$OUT/state/alerts.jsonl")"
  echo "fetch_only runs two passes (cold, then all 304), so its wall and RSS cover both; the per-pass times are above."
} | tee "$OUT/results.txt"
log "done; details in $OUT"
