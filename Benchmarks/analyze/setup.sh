# Sourced by run.sh and profile.sh: arguments [FEEDWATCH_BINARY] [CORPUS_DIR], then
#   corpus  the ANT corpus folder (default ../shared/corpus/ant; exits 2 when missing)
#   binary  the given binary, or feedwatch built in release as `make build` builds it (scratch $SCRATCH or .build)
#   work    a temporary folder, removed on exit, holding articles.jsonl (one {"id", "title", "text"} per
#           article) and bytes ("<UTF-8 bytes of title + text> <articles>")
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${2:-$root/../shared/corpus/ant}"
if [[ ! -d "$corpus" ]]; then
    echo "corpus folder $corpus not found (pass it as the second argument)" >&2
    exit 2
fi
if [[ $# -ge 1 && -n "$1" ]]; then
    binary="$1"
else
    scratch="${SCRATCH:-$root/.build}"
    (cd "$root" && swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product feedwatch >&2)
    binary="$scratch/release/feedwatch"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$here/articles.py" "$corpus" "$work/articles.jsonl" > "$work/bytes"
