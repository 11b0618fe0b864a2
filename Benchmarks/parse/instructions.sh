#!/usr/bin/env bash
# Benchmarks/parse/instructions.sh — feed parser cost in instructions, beside xmllint's on the same files: a
# stable figure on a noisy shared machine, where run.sh's wall and CPU times swing with the neighbours.
#
# Generates the corpus of run.sh (../shared/bench/make_feeds.py, SEED), takes its first FEEDS files in path
# order, and counts with valgrind's callgrind the instructions of
#   - a parse driver: `feedwatch parse --summary --jobs 1` without the command line around it (each file read
#     into an array, FeedParser.parse, one summary line per file), and
#   - `xmllint --stream --noout` over the same files (the issue's peer),
# then prints both totals (whole processes: start-up included), their ratio (the issue's target: feedwatch
# >= 0.6 x xmllint's throughput, i.e. at most 1/0.6 of its instructions) and the heaviest functions of the
# driver. `feedwatch` itself cannot run under valgrind 3.19 (its async main parks the main thread in
# libdispatch, which valgrind does not survive), so the script builds the driver as a throwaway package in a
# temporary folder whose FeedParse and CLibXML2 targets are symlinks to Sources/. Debug info is stripped
# first: valgrind 3.19 cannot read Swift 6's DWARF 5. Command-line parsing and process start-up of the real
# binary are not in the driver's count (run.sh's wall times include them).
#
# Usage: Benchmarks/parse/instructions.sh [FEEDS]      FEEDS: files of the corpus to use (default 200)
# Environment: N=1000 feeds generated, SEED=42 (as run.sh); KEEP=1 keeps the work folder (callgrind outputs).
# Needs: python3, swift, valgrind and callgrind_annotate (Debian package valgrind), objcopy (binutils),
# xmllint (libxml2-utils). Skips (exit 0) with a message when ../shared/bench is absent.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GENERATOR=$ROOT/../shared/bench/make_feeds.py
FEEDS=${1:-200}
N=${N:-1000}
SEED=${SEED:-42}
if [ ! -f "$GENERATOR" ]; then
  echo "skipped: $GENERATOR not found (the shared corpus generator lives in ../shared next to the repo)"
  exit 0
fi
for tool in valgrind callgrind_annotate objcopy xmllint; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing (apt-get install valgrind binutils libxml2-utils)" >&2
    exit 1
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/feedwatch-parse-instructions.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept in $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi

python3 "$GENERATOR" "$WORK/feeds" -n "$N" --seed "$SEED" >/dev/null
mapfile -t FILES < <(printf '%s\n' "$WORK"/feeds/*.xml | head -n "$FEEDS")
BYTES=$(cat "${FILES[@]}" | wc -c)

PACKAGE=$WORK/driver
mkdir -p "$PACKAGE/Sources/driver"
ln -s "$ROOT/Sources/FeedParse" "$PACKAGE/Sources/FeedParse"
ln -s "$ROOT/Sources/CLibXML2" "$PACKAGE/Sources/CLibXML2"
cat >"$PACKAGE/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "driver",
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "FeedParse", dependencies: ["CLibXML2"]),
        .executableTarget(name: "driver", dependencies: ["FeedParse"]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
cat >"$PACKAGE/Sources/driver/main.swift" <<'SWIFT'
// `feedwatch parse --summary --jobs 1` without the command line: read, parse, one line per file.
import FeedParse
import Foundation

var lines = ""
for path in CommandLine.arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else { continue }
    do {
        let feed = try FeedParser.parse([UInt8](data))
        lines += "\(feed.format.rawValue)\t\(feed.encoding)\t\(feed.items.count)\t\(feed.problems.count)\t\(path)\n"
    } catch {
        lines += "error\t-\t0\t0\t\(path)\n"
    }
}
FileHandle.standardOutput.write(Data(lines.utf8))
SWIFT
(cd "$PACKAGE" && swift build -c release --scratch-path "$WORK/build" >&2)
objcopy --strip-debug "$WORK/build/release/driver" "$WORK/driver-bin"

# count NAME CMD...: the instructions of one run under callgrind.
count() {
  local name=$1; shift
  valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$WORK/$name.callgrind" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.log"
  grep -E 'Collected' "$WORK/$name.log" | grep -oE '[0-9]+$'
}
DRIVER=$(count driver "$WORK/driver-bin" "${FILES[@]}")
XMLLINT=$(count xmllint xmllint --stream --noout "${FILES[@]}")
if grep -q '^error' "$WORK/driver.out"; then
  echo "the driver could not parse every file:" >&2
  grep '^error' "$WORK/driver.out" >&2
  exit 1
fi

awk -v files="${#FILES[@]}" -v bytes="$BYTES" -v driver="$DRIVER" -v xmllint="$XMLLINT" 'BEGIN {
  printf "files: %d (the first of the corpus, seed '"$SEED"'), %.1f MB\n", files, bytes / 1e6
  printf "instructions, xmllint --stream --noout:           %14.0f  (%.0f per byte)\n", xmllint, xmllint / bytes
  printf "instructions, FeedParse driver (parse --summary): %14.0f  (%.0f per byte)\n", driver, driver / bytes
  ratio = xmllint / driver
  verdict = ratio >= 0.6 ? "met" : "NOT met"
  printf "ratio of instructions, xmllint / feedwatch: %.3f (target >= 0.60: %s)\n", ratio, verdict
}'
echo "== heaviest functions of the driver (self)"
callgrind_annotate "$WORK/driver.callgrind" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | head -25 | cut -c1-150
