#!/usr/bin/env bash
# Where the analyzer spends its time: samples `feedwatch analyze --jsonl` over the corpus with perf and prints
# the hottest functions (self time, then with callees).
#
# Usage: Benchmarks/analyze/profile.sh [FEEDWATCH_BINARY] [CORPUS_DIR]
#   FEEDWATCH_BINARY  default: builds `feedwatch` in release mode (as `make build` does; scratch path $SCRATCH or .build)
#   CORPUS_DIR        default: ../shared/corpus/ant
# Needs perf (Debian package linux-perf) and python3. On machines without hardware counters perf falls back
# to the cpu-clock software event, which is enough for a profile. Shares are noisy on a busy machine; compare
# profiles, not single runs. For exact instruction counts (stable on a busy machine) use instructions.sh beside
# this script: `feedwatch analyze` itself does not run under valgrind 3.19, so it counts a synchronous driver.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

perf record -F 5000 -g -o "$work/perf.data" \
    "$binary" analyze --jsonl --config "$root/Config/feedwatch.yaml" "$work/articles.jsonl" > /dev/null 2> "$work/perf.log"
echo "== self time"
perf report -i "$work/perf.data" --no-children --percent-limit 1 --stdio 2>/dev/null | grep -E '^ +[0-9]' | cut -c1-160
echo "== with callees"
perf report -i "$work/perf.data" --children --percent-limit 3 --stdio 2>/dev/null | grep -E '^ +[0-9]' | cut -c1-160
