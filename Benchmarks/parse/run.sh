#!/usr/bin/env bash
# Benchmarks/parse/run.sh — feed parser throughput: `feedwatch parse --summary` vs `xmllint --stream --noout`.
#
# Generates the shared synthetic corpus (../shared/bench/make_feeds.py: 1,000 feeds, ~30 MB, RSS 2.0 / Atom /
# RDF, half Arabic, a few windows-1256 and BOM files) in a temporary folder, builds feedwatch in release mode
# (or uses the binary you give), checks that feedwatch reads every feed and every item of the manifest, then
# times both programs over all files in one process each (page cache warm, median of RUNS runs) and prints
# MB/s, the ratio and peak memory. The issue's target: feedwatch >= 0.6 x xmllint's MB/s, on one thread
# (--jobs 1, like xmllint); that is the ratio the verdict line judges. feedwatch is also timed with --jobs JOBS
# (several files parsed at once), printed beside it. The programs take turns run by run (xmllint, feedwatch on
# one thread, feedwatch on JOBS threads, and again), so a change in the machine's load hits all three alike.
# CPU seconds (user + sys) are printed too: on a shared machine they are steadier than wall time.
#
# To see where feedwatch spends its time: KEEP=1 to keep the corpus, then e.g.
#   perf record -g BINARY parse --summary --jobs 1 CORPUS/*.xml >/dev/null && perf report --no-children
# (Debian: apt-get install linux-perf). Instruction counts, steadier than times on a shared machine, with the
# heaviest functions: Benchmarks/parse/instructions.sh (callgrind, the parser beside xmllint on the same files).
#
# Usage: Benchmarks/parse/run.sh [FEEDWATCH_BINARY]
# Environment:
#   N=1000          feeds to generate          RUNS=5   timed runs per program (after one warm-up)
#   SEED=42         corpus seed                SCRATCH  swift build --scratch-path (default: <repo>/.build)
#   JOBS=2          threads of the parallel run
#   KEEP=1          keep the temporary corpus and print its path
# Needs: python3, xmllint (apt-get install libxml2-utils), /usr/bin/time (apt-get install time), swift when
# no binary is given. Skips (exit 0) with a message when ../shared/bench is absent.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$ROOT/../shared
GENERATOR=$SHARED/bench/make_feeds.py
N=${N:-1000}
RUNS=${RUNS:-5}
SEED=${SEED:-42}
JOBS=${JOBS:-2}

if [ ! -f "$GENERATOR" ]; then
  echo "skipped: $GENERATOR not found (the shared corpus generator lives in ../shared next to the repo)"
  exit 0
fi
command -v xmllint >/dev/null || { echo "xmllint is missing: apt-get install libxml2-utils" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }

BINARY=${1:-}
if [ -z "$BINARY" ]; then
  SCRATCH=${SCRATCH:-$ROOT/.build}
  echo "building feedwatch (release, scratch path $SCRATCH)..." >&2
  (cd "$ROOT" && swift build -c release --static-swift-stdlib --product feedwatch --scratch-path "$SCRATCH" >&2)
  BINARY=$SCRATCH/release/feedwatch
fi
[ -x "$BINARY" ] || { echo "no executable at $BINARY" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/feedwatch-parse-bench.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "corpus kept in $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi

python3 "$GENERATOR" "$WORK/feeds" -n "$N" --seed "$SEED" >&2
FILES=("$WORK"/feeds/*.xml)
BYTES=$(cat "${FILES[@]}" | wc -c)
EXPECTED_ITEMS=$(awk -F'\t' 'NR > 1 { sum += $5 } END { print sum }' "$WORK/feeds/manifest.tsv")

# Correctness first: one summary line per file, no errors, every item of the manifest.
"$BINARY" parse --summary "${FILES[@]}" >"$WORK/summary.tsv"
read -r LINES ERRORS ITEMS < <(awk -F'\t' '{ n++; if ($1 == "error") e++; items += $3 } END { print n, e + 0, items }' "$WORK/summary.tsv")
if [ "$LINES" != "${#FILES[@]}" ] || [ "$ERRORS" != 0 ] || [ "$ITEMS" != "$EXPECTED_ITEMS" ]; then
  echo "feedwatch read $LINES of ${#FILES[@]} files ($ERRORS errors), $ITEMS of $EXPECTED_ITEMS items" >&2
  exit 1
fi
ENCODINGS=$(cut -f2 "$WORK/summary.tsv" | sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')

# run_once NAME CMD...: one timed run, appending "wall_s cpu_s peak_rss_kb" to $WORK/NAME.runs.
run_once() {
  local name=$1; shift
  local start end kb user sys
  start=$EPOCHREALTIME
  /usr/bin/time -f '%M %U %S' -o "$WORK/$name.rss" "$@" >/dev/null 2>"$WORK/$name.err" || true
  end=$EPOCHREALTIME
  read -r kb user sys < <(tail -1 "$WORK/$name.rss")
  echo "$(echo "$end - $start" | bc -l) $(echo "$user + $sys" | bc -l) $kb" >>"$WORK/$name.runs"
}
median() { sort -g | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'; }
# summarize NAME: "median_wall min_wall median_cpu peak_rss_kb" over NAME's runs.
summarize() {
  local runs=$WORK/$1.runs
  echo "$(cut -d' ' -f1 "$runs" | median) $(cut -d' ' -f1 "$runs" | sort -g | head -1)" \
    "$(cut -d' ' -f2 "$runs" | median) $(cut -d' ' -f3 "$runs" | sort -g | tail -1)"
}

XMLLINT=(xmllint --stream --noout "${FILES[@]}")
ONE_THREAD=("$BINARY" parse --summary --jobs 1 "${FILES[@]}")
PARALLEL=("$BINARY" parse --summary --jobs "$JOBS" "${FILES[@]}")
cat "${FILES[@]}" >/dev/null  # warm the page cache
# One warm-up run each.
"${XMLLINT[@]}" >/dev/null 2>&1 || true
"${ONE_THREAD[@]}" >/dev/null 2>&1 || true
"${PARALLEL[@]}" >/dev/null 2>&1 || true
for _ in $(seq 1 "$RUNS"); do
  run_once xmllint "${XMLLINT[@]}"
  run_once feedwatch1 "${ONE_THREAD[@]}"
  run_once feedwatchN "${PARALLEL[@]}"
done
read -r X_MED X_MIN X_CPU X_RSS < <(summarize xmllint)
read -r S_MED S_MIN S_CPU S_RSS < <(summarize feedwatch1)
read -r F_MED F_MIN F_CPU F_RSS < <(summarize feedwatchN)

awk -v bytes="$BYTES" -v files="${#FILES[@]}" -v items="$ITEMS" -v runs="$RUNS" -v enc="$ENCODINGS" \
  -v when="$(date -u '+%Y-%m-%d %H:%M UTC')" -v cpus="$(nproc)" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
  -v jobs="$JOBS" \
  -v xm="$X_MED" -v xn="$X_MIN" -v xc="$X_CPU" -v xr="$X_RSS" \
  -v sm="$S_MED" -v sn="$S_MIN" -v sc="$S_CPU" -v sr="$S_RSS" \
  -v fm="$F_MED" -v fn="$F_MIN" -v fc="$F_CPU" -v fr="$F_RSS" '
BEGIN {
  printf "corpus: %d files, %d items, %.1f MB (%s)\n", files, items, bytes / 1e6, enc
  printf "median of %d runs (the three programs in turn), warm page cache, %s, %d CPUs, load average %s at the end\n", runs, when, cpus, load
  printf "| %-36s | %8s | %8s | %8s | %8s | %11s |\n", "program", "median s", "min s", "MB/s", "CPU s", "peak RSS MB"
  printf "|%s|%s|%s|%s|%s|%s|\n", "--------------------------------------", "----------", "----------", "----------", "----------", "-------------"
  printf "| %-36s | %8.3f | %8.3f | %8.1f | %8.3f | %11.1f |\n", "xmllint --stream --noout", xm, xn, bytes / 1e6 / xm, xc, xr / 1024
  printf "| %-36s | %8.3f | %8.3f | %8.1f | %8.3f | %11.1f |\n", "feedwatch parse --summary --jobs 1", sm, sn, bytes / 1e6 / sm, sc, sr / 1024
  printf "| %-36s | %8.3f | %8.3f | %8.1f | %8.3f | %11.1f |\n", "feedwatch parse --summary --jobs " jobs, fm, fn, bytes / 1e6 / fm, fc, fr / 1024
  single = xm / sm
  parallel = xm / fm
  printf "ratio of MB/s, feedwatch / xmllint: %.2f on one thread (target >= 0.60: %s); %.2f with --jobs %d\n", single, (single >= 0.6 ? "met" : "NOT met"), parallel, jobs
  printf "ratio of CPU time, xmllint / feedwatch on one thread: %.2f\n", (sc > 0 ? xc / sc : 0)
}'
