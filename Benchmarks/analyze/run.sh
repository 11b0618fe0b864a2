#!/usr/bin/env bash
# Analyzer throughput: megabytes of article text analyzed per CPU-second, with the full default topics.
#
# Usage: Benchmarks/analyze/run.sh [FEEDWATCH_BINARY] [CORPUS_DIR]
#   FEEDWATCH_BINARY  default: builds `feedwatch` in release mode (as `make build` does; scratch path $SCRATCH or .build)
#   CORPUS_DIR        default: ../shared/corpus/ant (the ANT corpus: folders of <DOC> XML-like .txt files)
#
# What it measures: every article of the corpus becomes one JSON line {"id", "title", "text"} in a temporary
# folder; `feedwatch analyze --jsonl --config Config/feedwatch.yaml` reads the file and writes one JSON
# result per line (topics, entities, quantities, fingerprint) to /dev/null. The figure is
#   MB/s per core = UTF-8 bytes of title + text / (user + system CPU seconds of the whole process) / 10^6
# so it includes start-up (compiling the rules), JSON decoding of the input and encoding of the output.
# The command is single-threaded, so CPU seconds are the cost on one core. Target: >= 20 MB/s.
# It runs RUNS times (default 5) and prints each run, the median and the best: on a shared or virtual
# machine CPU time varies with the neighbours, and the best run is the closest to the code's own cost.
# Needs python3 (to build the input) and GNU time (/usr/bin/time).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
read -r bytes articles < "$work/bytes"

# Warm the page cache, then measure.
cat "$work/articles.jsonl" > /dev/null
runs="${RUNS:-5}"
: > "$work/times"
for run in $(seq "$runs"); do
    /usr/bin/time -f "%U %S %e" -o "$work/time" \
        "$binary" analyze --jsonl --config "$root/Config/feedwatch.yaml" "$work/articles.jsonl" > "$work/out.jsonl"
    cat "$work/time" >> "$work/times"
done
lines=$(wc -l < "$work/out.jsonl")
python3 - "$bytes" "$articles" "$lines" "$work/times" <<'PY'
import statistics, sys
bytes_, articles, lines = (int(x) for x in sys.argv[1:4])
runs = [tuple(float(x) for x in line.split()) for line in open(sys.argv[4]) if line.strip()]
print(f"articles: {articles} (results: {lines})")
print(f"text: {bytes_ / 1e6:.1f} MB (title + text, UTF-8)")
rates = []
for number, (user, system, elapsed) in enumerate(runs, 1):
    cpu = user + system
    rates.append(bytes_ / cpu / 1e6)
    print(f"run {number}: cpu {cpu:.2f} s (user {user:.2f} + system {system:.2f}), wall {elapsed:.2f} s: {rates[-1]:.1f} MB/s")
print(f"throughput: median {statistics.median(rates):.1f} MB/s per core, best {max(rates):.1f} MB/s per core")
PY
