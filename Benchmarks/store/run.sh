#!/usr/bin/env bash
# Benchmarks/store/run.sh - the store's write throughput (issue 6): analysed items committed per second,
# with their stories and alerts (one transaction per 16 feed batches of 25 items, as the daemon's group
# commit does), and with the alert log appended and fsynced after each transaction.
#
# Usage:  Benchmarks/store/run.sh            (builds StoreBench in release first)
# Env:    ITEMS [20000] items per run   RUNS [3]   OUT [/tmp/feedwatch-store-bench]   SCRATCH [<repo>/.build/storebench]
# Prints one line per run and the median items/s. The synthetic items are a mix of Arabic and English rocket
# reports, protests and neutral news, each a distinct event, a third of them copied by a second feed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ITEMS=${ITEMS:-20000}
RUNS=${RUNS:-3}
OUT=${OUT:-/tmp/feedwatch-store-bench}
SCRATCH=${SCRATCH:-$REPO/.build/storebench}
(cd "$HERE/StoreBench" && swift build -c release --scratch-path "$SCRATCH" >&2)
BIN=$SCRATCH/release/storebench
rates=()
for run in $(seq 1 "$RUNS"); do
  line=$("$BIN" "$REPO/Config/topics.yaml" "$REPO/Config/entities.yaml" "$OUT" "$ITEMS")
  echo "run $run: $line"
  rates+=("$(sed -n 's/.*commit [0-9.]* s = \([0-9]*\) items\/s.*/\1/p' <<<"$line")")
done
printf '%s\n' "${rates[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median commit throughput: %d items/s over %d runs\n", a[int((NR + 1) / 2)], NR }'
rm -rf "$OUT"
