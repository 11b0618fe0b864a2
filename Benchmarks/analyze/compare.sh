#!/usr/bin/env bash
# Whether the analyzer still writes the same bytes: compares the working tree's Sources/Analysis with a git
# revision's, article by article, for optimizations that must not change any result.
#
# Usage: Benchmarks/analyze/compare.sh [REVISION] [CORPUS_DIR] [SHARED_DIR]
#   REVISION    the revision to compare with (default HEAD)
#   CORPUS_DIR  default ../shared/corpus/ant: its articles as articles.py writes them (title and text)
#   SHARED_DIR  default ../shared: every file under SHARED_DIR/corpus and SHARED_DIR/seed is analyzed too,
#               whole, as `feedwatch analyze FILE` reads it, and so is the "text" of each JSON line in them
#   EXTRA       environment, optional: more JSON-lines files {"id", "title"?, "text"} to compare on
#               (space-separated), e.g. feed items extracted with `feedwatch parse --compact`
#
# What it compares: a small synchronous driver (the one instructions.sh builds) is built twice, on
# Sources/Analysis and on the revision's Sources/Analysis (from `git archive`), both with the working
# tree's Config/topics.yaml and Config/entities.yaml. For every article each writes `AnalysisJSON.encode`
# (with the id), `encodeWithArrays` (checking that its entity and quantity slices equal `encode(entities:)`
# and `encode(quantities:)`), `encode(evidence:)` of every topic, and the `explain` traces (JSONEncoder,
# sorted keys). The outputs are compared with cmp: "identical" per input set, else the first difference
# and exit status 1. Yams comes from the checkouts of a scratch path that already resolved the package
# ($SCRATCH, default .build). Needs python3 and git. Takes a few minutes (two release builds).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../checkouts.sh"
source "$here/driver.sh"
root="$(cd "$here/../.." && pwd)"
revision="${1:-HEAD}"
corpus="${2:-$root/../shared/corpus/ant}"
shared="${3:-$root/../shared}"
scratch="${SCRATCH:-$root/.build}"
yams="$(checkout "$scratch" Yams)"
for folder in "$corpus" "$shared/corpus" "$shared/seed"; do
    if [[ ! -d "$folder" ]]; then
        echo "folder $folder not found (pass the corpus and shared folders as arguments)" >&2
        exit 2
    fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Inputs: the benchmark articles, then every shared file whole (and each JSON line's text).
python3 "$here/articles.py" "$corpus" "$work/articles.jsonl" > /dev/null
python3 - "$shared" "$work/files.jsonl" <<'PY'
import json, os, sys
shared, out_path = sys.argv[1], sys.argv[2]
with open(out_path, "w", encoding="utf-8") as out:
    for top in ("corpus", "seed"):
        for folder, _, files in sorted(os.walk(os.path.join(shared, top))):
            for name in sorted(files):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", errors="replace")
                out.write(json.dumps({"id": path, "text": text}, ensure_ascii=False) + "\n")
                if not name.endswith(".jsonl"):
                    continue
                for number, line in enumerate(text.splitlines()):
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(record, dict) and isinstance(record.get("text"), str):
                        item = {"id": f"{path}:{number + 1}", "text": record["text"]}
                        out.write(json.dumps(item, ensure_ascii=False) + "\n")
PY
inputs=("$work/articles.jsonl" "$work/files.jsonl")
for extra in ${EXTRA:-}; do inputs+=("$extra"); done

cp -R "$yams" "$work/Yams"
mkdir -p "$work/old"
git -C "$root" archive "$revision" Sources/Analysis | tar -x -C "$work/old"

# One driver package per side: Sources/Analysis is a symlink, main.swift the same.
build() {
    local side="$1" analysis="$2"
    local package="$work/$side-driver"
    write_driver "$package" "$analysis"
    cat >> "$package/Sources/driver/main.swift" <<'SWIFT'
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
let data = try Data(contentsOf: URL(fileURLWithPath: arguments[3]))
var lines: [Range<Int>] = []
data.withUnsafeBytes { buffer in
    var start = 0
    for index in 0..<buffer.count where buffer[index] == UInt8(ascii: "\n") {
        lines.append(start..<index)
        start = index + 1
    }
    if start < buffer.count { lines.append(start..<buffer.count) }
}
var output: [UInt8] = []
for range in lines where !range.isEmpty {
    let item = try decoder.decode(Input.self, from: data[range])
    let article = Article(id: item.id, title: item.title, text: item.text, language: item.language)
    let analysis = analyzer.analyze(article)
    output += AnalysisJSON.encode(analysis, id: item.id)
    output.append(UInt8(ascii: "\n"))
    // Read by label: later revisions return more slices (each topic's evidence), which the unit tests check.
    let encoded = AnalysisJSON.encodeWithArrays(analysis)
    let json = encoded.json
    guard Array(json[encoded.entities]) == AnalysisJSON.encode(entities: analysis.entities),
        Array(json[encoded.quantities]) == AnalysisJSON.encode(quantities: analysis.quantities)
    else { fatalError("\(item.id): the entity or quantity slice differs from the array written alone") }
    output += json
    output.append(UInt8(ascii: "\n"))
    for topic in analysis.topics {
        output += AnalysisJSON.encode(evidence: topic.evidence)
        output.append(UInt8(ascii: "\n"))
    }
    let explanation = analyzer.explain(article)
    guard explanation.analysis == analysis else { fatalError("\(item.id): explain analyzed differently") }
    output += try encoder.encode(explanation.traces)
    output.append(UInt8(ascii: "\n"))
}
FileHandle.standardOutput.write(Data(output))
SWIFT
    (cd "$package" && swift build -c release --scratch-path "$work/$side-build" >&2)
}
build new "$root/Sources/Analysis"
build old "$work/old/Sources/Analysis"

status=0
for input in "${inputs[@]}"; do
    for side in old new; do
        "$work/$side-build/release/driver" "$root/Config/topics.yaml" "$root/Config/entities.yaml" "$input" \
            > "$work/$side.out"
    done
    lines=$(wc -l < "$input")
    if cmp "$work/old.out" "$work/new.out"; then
        echo "$(basename "$input") ($lines articles): identical ($(wc -c < "$work/new.out") bytes of output)"
    else
        echo "$(basename "$input") ($lines articles): DIFFERS from $revision"
        status=1
    fi
done
exit $status
