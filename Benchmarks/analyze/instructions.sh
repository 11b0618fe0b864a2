#!/usr/bin/env bash
# Analyzer cost in instructions: a stable figure on a noisy machine, where CPU seconds vary with the neighbours.
#
# Usage: Benchmarks/analyze/instructions.sh [ARTICLES] [CORPUS_DIR]
#   ARTICLES    how many articles of the corpus to analyze (default 1500, the first ones in path order)
#   CORPUS_DIR  default: ../shared/corpus/ant
#
# What it measures: valgrind's callgrind counts the instructions executed by `Analyzer.analyze` (inclusive:
# normalization, tokens and keys, entities, rules, modality, quantities, fingerprint, evidence) over the
# first ARTICLES articles, with the shipped Config/topics.yaml and Config/entities.yaml, and by
# `AnalysisJSON.encode` of the results (what the Store and `analyze --jsonl` write). It also prints the
# total of the process. To compare two versions, run it in each tree (e.g. one from `git archive`); to
# check that an optimization changed no output, compare.sh beside this script. `feedwatch analyze` cannot run under valgrind 3.19 (its async main parks the main
# thread in libdispatch, which valgrind does not survive), so the script builds a small synchronous driver:
# a throwaway package in a temporary folder whose Analysis target is a symlink to Sources/Analysis and whose
# main reads the same JSON lines, analyzes them and writes AnalysisJSON lines to /dev/null.
# Yams (for the rule files) comes from the checkouts of a scratch path that already resolved the package
# ($SCRATCH, default .build). Needs valgrind and callgrind_annotate (Debian package valgrind), python3 and
# objcopy (binutils): debug info is stripped first, since valgrind 3.19 cannot read Swift 6's DWARF 5.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../checkouts.sh"
source "$here/driver.sh"
root="$(cd "$here/../.." && pwd)"
count="${1:-1500}"
corpus="${2:-$root/../shared/corpus/ant}"
scratch="${SCRATCH:-$root/.build}"
yams="$(checkout "$scratch" Yams)"
if [[ ! -d "$corpus" ]]; then
    echo "corpus folder $corpus not found (pass it as the second argument)" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$here/articles.py" "$corpus" "$work/articles.jsonl" "$count" > /dev/null

package="$work/driver"
write_driver "$package" "$root/Sources/Analysis"
cp -R "$yams" "$work/Yams"
cat >> "$package/Sources/driver/main.swift" <<'SWIFT'
var output: [UInt8] = []
let content = try String(contentsOfFile: arguments[3], encoding: .utf8)
for line in content.split(separator: "\n") where !line.isEmpty {
    let item = try decoder.decode(Input.self, from: Data(line.utf8))
    let article = Article(id: item.id, title: item.title, text: item.text, language: item.language)
    output += AnalysisJSON.encode(analyzer.analyze(article), id: item.id)
    output.append(UInt8(ascii: "\n"))
}
FileHandle.standardOutput.write(Data(output))
SWIFT
(cd "$package" && swift build -c release --scratch-path "$work/build" >&2)
objcopy --strip-debug "$work/build/release/driver" "$work/driver-bin"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$work/driver-bin" \
    "$root/Config/topics.yaml" "$root/Config/entities.yaml" "$work/articles.jsonl" > /dev/null 2> "$work/valgrind.log"
total=$(grep -E 'Collected' "$work/valgrind.log" | grep -oE '[0-9]+$' || true)
analyze=$(callgrind_annotate --inclusive=yes "$work/callgrind.out" 2>/dev/null \
    | grep -E 'Analysis8AnalyzerC7analyzeyA2AVAA7ArticleVF' | head -1 | awk '{gsub(",", "", $1); print $1}' || true)
encode=$(callgrind_annotate --inclusive=yes "$work/callgrind.out" 2>/dev/null \
    | grep -E 'Analysis0A4JSONO6encode_2id' | head -1 | awk '{gsub(",", "", $1); print $1}' || true)
echo "articles: $count"
# callgrind_annotate lists only the functions above its threshold: a few articles may leave encode out.
echo "instructions, Analyzer.analyze (inclusive): ${analyze:-?} ($((${analyze:-0} / count)) per article)"
echo "instructions, AnalysisJSON.encode (inclusive): ${encode:-?} ($((${encode:-0} / count)) per article)"
echo "instructions, whole driver process (rule files, JSON in and out included): $total"
echo "== heaviest functions under Analyzer.analyze (inclusive)"
callgrind_annotate --inclusive=yes "$work/callgrind.out" 2>/dev/null | grep -E 's8Analysis' \
    | grep -vE 'Decoder|Definition|File|init|Analyzer[CV]6topics|compile|SpellingVariants' | head -25 | cut -c1-160
