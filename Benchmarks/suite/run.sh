#!/usr/bin/env bash
# Benchmarks/suite/run.sh - feedwatch against its peers on the same work, one table (issue 8). `make bench` runs it.
#
# It installs what it lacks (apt: newsboat, libxml2-utils, time, curl, python3-venv; PyPI in a venv:
# feedparser, feedparser-rs), builds feedwatch in release, generates the deterministic corpus of Arabic and
# English feeds with ../shared/bench/make_feeds.py, serves it on 127.0.0.1 with ../shared/bench/serve_feeds.py
# (ETag, Last-Modified, keep-alive), and measures, the peer in the same run, runs interleaved (feedwatch, peer,
# feedwatch, peer...) so both see the same neighbours on this shared machine:
#
#   cold     1. cold cycle: `feedwatch run --once` on an empty state (fetch, parse, analyse, store, alert log)
#               vs `newsboat -x reload` on an empty cache (fetch, parse, store). Median wall time of RUNS.
#   304      2. unchanged cycle, every feed answers 304: feedwatch on the state a cold cycle left vs newsboat
#               with its validators stored (its cache after two reloads). Median of FAST_RUNS.
#   parse    3. parse MB/s from disk, one process over all files: `feedwatch parse --summary` (one worker per
#               CPU, and --jobs 1) vs `xmllint --stream --noout` and feedparser-rs (../shared/bench/parse_py.py;
#               whole process, and its in-process time). Median of FAST_RUNS after a warm-up.
#   analyze  4. analyzer MB/s of text per core, full default topics: `feedwatch analyze --jsonl` over the
#               articles of ../shared/corpus/ant, bytes of title + text / (user + sys CPU seconds).
#   rss      5. peak RSS (/usr/bin/time %M) of the cold cycle at N feeds (from `cold`, newsboat too) and at
#               N_BIG feeds (one cold run on a corpus of N_BIG feeds served on PORT+1).
#   latency  6. end-to-end latency: `feedwatch run` as a daemon (poll interval 60 s, N feeds) against the
#               probe's own loopback server (Benchmarks/suite/latency_probe.py, which re-reads the files on
#               every request; serve_feeds.py serves from memory); after the first cycle, LAT_ITEMS new
#               entries are written into LAT_ITEMS Atom feeds; latency = from the request whose answer carries
#               the entry (as the server sees it) to its line in the alert log. Distribution over the items.
#
# Then it prints one table (absolute figures, ratios, PASS/MISS per target of issue 8) and writes it to
# $OUT/results.md. Ratios matter more than absolute figures: the machine is shared and noisy.
#
# Usage:  make bench      or      Benchmarks/suite/run.sh
#         QUICK=1 Benchmarks/suite/run.sh          a fast trial: N=200, N_BIG=1000, one run each, 3 latency items
#         ONLY="parse analyze" Benchmarks/suite/run.sh
# Environment (defaults in brackets):
#   N [1000] feeds   N_BIG [10000] feeds for the second RSS figure   SEED [42] corpus seed
#   RUNS [3] runs of the cold cycles   FAST_RUNS [5] runs of the other measurements
#   ONLY ["cold 304 parse analyze rss latency"] groups to run
#   LAT_ITEMS [8] new entries in the latency test   LAT_INTERVAL [60] its poll interval, seconds
#   PORT [18765] corpus server; PORT+1 the N_BIG corpus; PORT+2 the latency probe (all within 18765-18799)
#   OUT [/tmp/feedwatch-suite] work folder (corpus, states, logs, results.md)   VENV [$OUT/venv]
#   SCRATCH [<repo>/.build] swift build --scratch-path   SWIFT [swift]   FEEDWATCH [build it] use this binary
#   NB_THREADS [4] newsboat reload-threads (as ../shared/bench/baseline.sh)
#   CONCURRENCY [32] poll.concurrency (the default)   CONNECTIONS [8] poll.connections_per_host (curl's --parallel-max)
#   TIMEOUT [900] seconds, cap on any one measured command   BIG_TIMEOUT [900] cap on the N_BIG cycle
#   INSTALL [1] 0 = never apt-get / pip
# Needs: Debian 12 (apt-get as root, or sudo), swift, python3, and ../shared beside the repository.
# Every loop is bounded (RUNS, fixed file lists, the probe's own deadline) and every command capped by
# `timeout`; the servers and the daemon it starts are stopped by PID on exit. Runs are timed by the script
# itself (bash $EPOCHREALTIME for wall time, /usr/bin/time for CPU and peak RSS) rather than by hyperfine,
# so that feedwatch and its peer alternate run by run instead of running in two blocks minutes apart.
# A full run takes 12 to 20 minutes on the 2-core machine; QUICK=1 about 3.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED=$(cd "$REPO/../shared" 2>/dev/null && pwd) || { echo "../shared is absent beside $REPO" >&2; exit 1; }
if [ "${QUICK:-0}" = 1 ]; then
  : "${N:=200}" "${N_BIG:=1000}" "${RUNS:=1}" "${FAST_RUNS:=1}" "${LAT_ITEMS:=3}"
fi
N=${N:-1000}
N_BIG=${N_BIG:-10000}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
FAST_RUNS=${FAST_RUNS:-5}
ONLY=${ONLY:-"cold 304 parse analyze rss latency"}
LAT_ITEMS=${LAT_ITEMS:-8}
LAT_INTERVAL=${LAT_INTERVAL:-60}
PORT=${PORT:-18765}
OUT=${OUT:-/tmp/feedwatch-suite}
VENV=${VENV:-$OUT/venv}
SCRATCH=${SCRATCH:-$REPO/.build}
NB_THREADS=${NB_THREADS:-4}
CONCURRENCY=${CONCURRENCY:-32}
CONNECTIONS=${CONNECTIONS:-8}
TIMEOUT=${TIMEOUT:-900}
BIG_TIMEOUT=${BIG_TIMEOUT:-900}
INSTALL=${INSTALL:-1}
if [ "$PORT" -lt 18765 ] || [ $((PORT + 2)) -gt 18799 ]; then
  echo "PORT must be within 18765..18797 (the suite uses PORT, PORT+1 and PORT+2)" >&2
  exit 1
fi
T_START=$(date +%s)
SUDO=()
[ "$(id -u)" = 0 ] || SUDO=(sudo)
PIDS=()  # servers and daemon this script started

want() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
log() { echo "[$(($(date +%s) - T_START))s] $*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true  # only processes this script started, by PID
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ -f "$OUT/latency/daemon.pid" ]; then
    pid=$(cat "$OUT/latency/daemon.pid")
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$OUT/latency/daemon.pid"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ tools
ensure_tools() {
  local pkgs=()
  command -v newsboat >/dev/null || pkgs+=(newsboat)
  command -v xmllint >/dev/null || pkgs+=(libxml2-utils)
  command -v curl >/dev/null || pkgs+=(curl)
  [ -x /usr/bin/time ] || pkgs+=(time)
  python3 -c 'import ensurepip, venv' 2>/dev/null || pkgs+=(python3-venv)
  if [ ${#pkgs[@]} -gt 0 ]; then
    [ "$INSTALL" = 1 ] || { echo "missing: ${pkgs[*]} (INSTALL=0)" >&2; exit 1; }
    log "installing ${pkgs[*]}"
    timeout 600 "${SUDO[@]}" apt-get update -qq
    timeout 900 "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  fi
  if ! "$VENV/bin/python" -c 'import feedparser, feedparser_rs' 2>/dev/null; then
    [ "$INSTALL" = 1 ] || { echo "no feedparser / feedparser-rs in $VENV (INSTALL=0)" >&2; exit 1; }
    log "creating $VENV with feedparser and feedparser-rs from PyPI"
    python3 -m venv "$VENV"
    timeout 600 "$VENV/bin/pip" install -q feedparser feedparser-rs >&2 || log "pip failed; feedparser-rs is skipped"
  fi
}

# ------------------------------------------------------------------ measuring
SERVER_BASE=  # the server whose /__stats counts each run's 200s and 304s
stats() {
  if [ -n "$SERVER_BASE" ]; then curl -s --max-time 5 "$SERVER_BASE/__stats" >"$1" || echo '{}' >"$1"; else echo '{}' >"$1"; fi
}

# timed NAME COMMAND: runs COMMAND in $OUT under `timeout` and /usr/bin/time and appends a row to $OUT/t/NAME.tsv
# (wall, user, sys, peak RSS, exit status, HTTP 200s and 304s). Output goes to $OUT/log/NAME.log.
timed() {
  local name=$1 command=$2 t0 t1 rc=0 cap=${CAP:-$TIMEOUT}
  stats "$OUT/t/s0.json"
  rm -f "$OUT/t/time.txt"
  t0=$EPOCHREALTIME
  (cd "$OUT" && timeout -k 10 "$cap" /usr/bin/time -f '%U %S %M' -o "$OUT/t/time.txt" \
    bash -c "$command" >>"$OUT/log/$name.log" 2>&1) || rc=$?
  t1=$EPOCHREALTIME
  stats "$OUT/t/s1.json"
  python3 "$HERE/suite.py" record "$OUT/t/$name.tsv" "$t0" "$t1" "$OUT/t/time.txt" "$rc" "$OUT/t/s0.json" "$OUT/t/s1.json"
  [ "$rc" = 0 ] || log "$name failed (status $rc): see $OUT/log/$name.log"
  log "$name: $(tail -1 "$OUT/t/$name.tsv" | awk -F'\t' '{ printf "%.3f s wall, %.2f s CPU, %.1f MiB, 200s %s, 304s %s", $1, $2 + $3, $4 / 1024, $6, $7 }')"
}

start_server() {  # start_server FOLDER PORT LOG: serve_feeds.py in the background, PID kept for cleanup
  local base=http://127.0.0.1:$2
  if curl -s --max-time 2 -o /dev/null "$base/"; then
    echo "port $2 already answers; set PORT to a free range" >&2
    exit 1
  fi
  python3 "$SHARED/bench/serve_feeds.py" "$1" --port "$2" --max-seconds 7200 2>"$3" &
  PIDS+=($!)
  for _ in $(seq 1 150); do
    curl -sf --max-time 1 -o /dev/null "$base/__stats" && break
    sleep 0.2
  done
  curl -sf --max-time 2 -o /dev/null "$base/__stats" || { echo "the server on port $2 did not start (see $3)" >&2; exit 1; }
  log "serve_feeds.py pid ${PIDS[-1]} on $base"
}

stop_server() {  # stop_server PID
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

make_corpus() {  # make_corpus FOLDER COUNT: generated once per (COUNT, SEED)
  if [ ! -f "$1/.n-$2-seed-$SEED" ]; then
    log "generating $2 feeds (seed $SEED) in $1"
    rm -rf "$1"
    timeout 1200 python3 "$SHARED/bench/make_feeds.py" "$1" -n "$2" --seed "$SEED" >&2
    touch "$1/.n-$2-seed-$SEED"
  fi
}

write_config() {  # write_config FILE PORT COUNT INTERVAL: feedwatch config for COUNT feeds on 127.0.0.1:PORT
  {
    echo "database: state/feedwatch.sqlite"
    echo "alert_log: state/alerts.jsonl"
    echo "topics: $REPO/Config/topics.yaml"
    echo "entities: $REPO/Config/entities.yaml"
    echo "poll: {interval: $4, concurrency: $CONCURRENCY, timeout: 30s, host_gap: 0, connections_per_host: $CONNECTIONS}"
    echo "allow_private_addresses: true"
    echo "feeds:"
    awk -v port="$2" -v n="$3" 'BEGIN { for (i = 0; i < n; i++) printf "  - url: http://127.0.0.1:%d/f%04d.xml\n    name: f%04d\n", port, i, i }'
  } >"$1"
}

# ------------------------------------------------------------------ setup
ensure_tools
mkdir -p "$OUT"/{t,log}
rm -f "$OUT"/t/*.tsv "$OUT/facts.txt" "$OUT/latency.json" "$OUT"/log/*.log
if [ -z "${FEEDWATCH:-}" ]; then
  log "building feedwatch (release, scratch path $SCRATCH)"
  # The Debian packages it builds against (libcurl, libxml2, SQLite, jemalloc): the Makefile's list.
  if [ "$INSTALL" = 1 ]; then make -C "$REPO" --no-print-directory deps SWIFT="${SWIFT:-swift}" >&2; fi
  (cd "$REPO" && "${SWIFT:-swift}" build -c release --static-swift-stdlib --product feedwatch --scratch-path "$SCRATCH" >&2)
  FEEDWATCH=$SCRATCH/release/feedwatch
fi
[ -x "$FEEDWATCH" ] || { echo "no executable at $FEEDWATCH" >&2; exit 1; }
FEEDS=$OUT/feeds
make_corpus "$FEEDS" "$N"
read -r NF NI NB < <(python3 "$HERE/suite.py" manifest "$FEEDS/manifest.tsv")
log "corpus: $NF feeds, $NI items, $NB bytes"
{
  echo "n=$NF"
  echo "n_big=$N_BIG"
  echo "cpus=$(nproc)"
} >>"$OUT/facts.txt"
BASE=http://127.0.0.1:$PORT
awk -v base="$BASE" -v n="$NF" 'BEGIN { for (i = 0; i < n; i++) printf "%s/f%04d.xml\n", base, i }' >"$OUT/urls.txt"
mkdir -p "$OUT/fw" "$OUT/nb/home"
write_config "$OUT/fw/feedwatch.yaml" "$PORT" "$NF" 15m
"$FEEDWATCH" check --config "$OUT/fw/feedwatch.yaml" >"$OUT/log/check.log" 2>&1 ||
  { echo "feedwatch rejects the benchmark config:" >&2; head -5 "$OUT/log/check.log" >&2; exit 1; }
printf 'reload-threads %s\ndownload-timeout 30\ndownload-retries 1\n' "$NB_THREADS" >"$OUT/nb/config"
FW_RUN="'$FEEDWATCH' run --once --config fw/feedwatch.yaml --log-level warning"
NB_RUN="HOME=$OUT/nb/home LANG=C.UTF-8 newsboat -u urls.txt -c nb/cache.db -C nb/config -x reload"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

if want cold || want 304 || want rss; then
  start_server "$FEEDS" "$PORT" "$OUT/log/server.log"
  SERVER_PID=${PIDS[-1]}
  SERVER_BASE=$BASE
fi

# ------------------------------------------------------------------ 1. cold cycle (and 5. RSS at N)
if want cold || want rss; then
  cold_runs=$RUNS
  want cold || cold_runs=1
  log "cold cycle: $cold_runs runs each, interleaved"
  for r in $(seq 1 "$cold_runs"); do
    if [ $((r % 2)) = 1 ]; then order="fw nb"; else order="nb fw"; fi
    for who in $order; do
      if [ "$who" = fw ]; then
        rm -rf "$OUT/fw/state"
        timed fw_cold "$FW_RUN"
      else
        rm -f "$OUT/nb/cache.db" "$OUT/nb/cache.db.lock"
        timed nb_cold "$NB_RUN"
      fi
    done
  done
  rm -rf "$OUT/fw/state.cold" && cp -a "$OUT/fw/state" "$OUT/fw/state.cold"
  cp "$OUT/nb/cache.db" "$OUT/nb/cache1.db"
  echo "alerts_cold=$(wc -l <"$OUT/fw/state/alerts.jsonl")" >>"$OUT/facts.txt"
  log "feedwatch cold state: $(wc -l <"$OUT/fw/state/alerts.jsonl") alerts, $(du -sh "$OUT/fw/state" | cut -f1)"
fi

# ------------------------------------------------------------------ 2. all-304 cycle
if want 304; then
  if [ ! -d "$OUT/fw/state.cold" ]; then
    rm -rf "$OUT/fw/state"; timed fw_cold_setup "$FW_RUN"; cp -a "$OUT/fw/state" "$OUT/fw/state.cold"
    rm -f "$OUT/nb/cache.db"; timed nb_cold_setup "$NB_RUN"; cp "$OUT/nb/cache.db" "$OUT/nb/cache1.db"
  fi
  # newsboat stores the validators on its second reload of a feed (as ../shared/bench/baseline.sh found).
  cp "$OUT/nb/cache1.db" "$OUT/nb/cache.db"
  timed nb_second_setup "$NB_RUN"
  cp "$OUT/nb/cache.db" "$OUT/nb/cache2.db"
  log "unchanged cycle: $FAST_RUNS runs each, interleaved"
  for r in $(seq 1 "$FAST_RUNS"); do
    rm -rf "$OUT/fw/state" && cp -a "$OUT/fw/state.cold" "$OUT/fw/state"
    timed fw_304 "$FW_RUN"
    cp "$OUT/nb/cache2.db" "$OUT/nb/cache.db"
    timed nb_304 "$NB_RUN"
  done
fi
if [ -n "${SERVER_PID:-}" ]; then stop_server "$SERVER_PID"; SERVER_BASE=; fi

# ------------------------------------------------------------------ 3. parse throughput
if want parse; then
  echo "parse_bytes=$NB" >>"$OUT/facts.txt"
  FILES="feeds/*.xml"
  "$FEEDWATCH" parse --summary "$FEEDS"/*.xml >"$OUT/log/parse-summary.tsv" 2>&1 || true
  read -r lines errors items < <(awk -F'\t' '{ n++; if ($1 == "error") e++; items += $3 } END { print n, e + 0, items + 0 }' "$OUT/log/parse-summary.tsv")
  log "feedwatch parse: $lines files, $errors errors, $items items (manifest: $NF files, $NI items)"
  echo "parse_check=$lines of $NF files, $errors errors, $items of $NI items" >>"$OUT/facts.txt"
  cat "$FEEDS"/*.xml >/dev/null  # warm the page cache
  FR=""
  rm -f "$OUT/log/feedparser_rs.jsonl"
  "$VENV/bin/python" -c 'import feedparser_rs' 2>/dev/null && FR=1
  parse_cmds=(
    "xmllint|xmllint --stream --noout $FILES"
    "fw_parse|'$FEEDWATCH' parse --summary $FILES >/dev/null"
    "fw_parse_1job|'$FEEDWATCH' parse --summary --jobs 1 $FILES >/dev/null"
  )
  [ -n "$FR" ] && parse_cmds+=("feedparser_rs|'$VENV/bin/python' '$SHARED/bench/parse_py.py' --lib feedparser_rs feeds --out log/feedparser_rs.jsonl")
  log "parse: one warm-up, then $FAST_RUNS runs each, interleaved"
  for r in $(seq 0 "$FAST_RUNS"); do
    for entry in "${parse_cmds[@]}"; do
      name=${entry%%|*}
      [ "$r" = 0 ] && name=warmup_$name
      timed "$name" "${entry#*|}"
    done
  done
  if [ -f "$OUT/log/feedparser_rs.jsonl" ]; then
    echo "feedparser_rs_inproc=$(python3 -c 'import json, statistics, sys; print(statistics.median(json.loads(l)["seconds"] for l in open(sys.argv[1]) if l.strip()))' "$OUT/log/feedparser_rs.jsonl")" >>"$OUT/facts.txt"
  fi
fi

# ------------------------------------------------------------------ 4. analyzer throughput
if want analyze; then
  if [ -d "$SHARED/corpus/ant" ]; then
    read -r ab aa < <(python3 "$REPO/Benchmarks/analyze/articles.py" "$SHARED/corpus/ant" "$OUT/articles.jsonl")
    printf 'analyze_bytes=%s\nanalyze_articles=%s\n' "$ab" "$aa" >>"$OUT/facts.txt"
    cat "$OUT/articles.jsonl" >/dev/null
    log "analyzer: $aa articles, $ab bytes; $FAST_RUNS runs"
    for _ in $(seq 1 "$FAST_RUNS"); do
      timed fw_analyze "'$FEEDWATCH' analyze --jsonl --config '$REPO/Config/feedwatch.yaml' articles.jsonl >log/analyze.out"
    done
  else
    log "no article corpus at $SHARED/corpus/ant: analyzer skipped"
  fi
fi

# ------------------------------------------------------------------ 5. peak RSS at N_BIG
if want rss; then
  BIG=$OUT/feeds-$N_BIG
  make_corpus "$BIG" "$N_BIG"
  start_server "$BIG" $((PORT + 1)) "$OUT/log/server-big.log"
  big_pid=${PIDS[-1]}
  SERVER_BASE=http://127.0.0.1:$((PORT + 1))
  mkdir -p "$OUT/big"
  write_config "$OUT/big/feedwatch.yaml" $((PORT + 1)) "$N_BIG" 15m
  rm -rf "$OUT/big/state"
  echo "big_timeout=$BIG_TIMEOUT" >>"$OUT/facts.txt"
  CAP=$BIG_TIMEOUT timed fw_cold_big "'$FEEDWATCH' run --once --config big/feedwatch.yaml --log-level warning"
  stop_server "$big_pid"
  SERVER_BASE=
  echo "alerts_big=$(wc -l <"$OUT/big/state/alerts.jsonl" 2>/dev/null || echo 0)" >>"$OUT/facts.txt"
  rm -rf "$OUT/big/state"
fi

# ------------------------------------------------------------------ 6. end-to-end latency
if want latency; then
  LAT=$OUT/latency
  rm -rf "$LAT" && mkdir -p "$LAT"
  cp -a "$FEEDS" "$LAT/feeds"  # the probe writes new entries into these copies
  write_config "$LAT/feedwatch.yaml" $((PORT + 2)) "$NF" "$LAT_INTERVAL"
  log "latency: daemon on $NF feeds, poll interval ${LAT_INTERVAL}s, $LAT_ITEMS new items (takes about $((LAT_INTERVAL * 2)) s)"
  # `timeout` is the direct child, so stopping it by PID passes SIGTERM on to the probe, which stops the daemon.
  timeout -k 20 $((LAT_INTERVAL * 3 + 900)) python3 "$HERE/latency_probe.py" \
    --feeds "$LAT/feeds" --port $((PORT + 2)) --alert-log "$LAT/state/alerts.jsonl" --items "$LAT_ITEMS" \
    --interval "$LAT_INTERVAL" --max-seconds $((LAT_INTERVAL * 3 + 840)) --pidfile "$LAT/daemon.pid" \
    --daemon-log "$OUT/log/daemon.log" --json "$OUT/latency.json" \
    -- "$FEEDWATCH" run --config "$LAT/feedwatch.yaml" --log-level notice >"$OUT/log/latency.log" 2>&1 &
  PIDS+=($!)
  wait "${PIDS[-1]}" || log "the latency probe failed: $(tail -2 "$OUT/log/latency.log")"
  log "latency: $(head -c 600 "$OUT/latency.json" 2>/dev/null)"
fi

# ------------------------------------------------------------------ the table
{
  echo "feedwatch benchmark suite (issue 8), $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) CPUs, load average at start $LOAD0, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "corpus: $NF feeds, $NI items, $((NB / 1000000)) MB (make_feeds.py, seed $SEED); cold cycles: median of $RUNS runs, others of $FAST_RUNS; runs interleaved with the peer"
  echo "versions: $("$FEEDWATCH" --version 2>/dev/null || echo feedwatch), $(newsboat --version 2>/dev/null | head -1), $(xmllint --version 2>&1 | head -1), feedparser-rs $("$VENV/bin/python" -c 'import feedparser_rs; print(feedparser_rs.__version__)' 2>/dev/null || echo missing)"
  echo
  python3 "$HERE/suite.py" table "$OUT"
  echo
  echo "The machine is shared with other builds: absolute times are noisy; the ratios (same run, interleaved) matter."
} | tee "$OUT/results.md"
log "done in $(($(date +%s) - T_START)) s; details in $OUT (log/, t/, results.md)"
