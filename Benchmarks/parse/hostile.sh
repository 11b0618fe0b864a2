#!/usr/bin/env bash
# Benchmarks/parse/hostile.sh — time, peak memory and leakage of `feedwatch parse` on attack documents.
#
# Writes each document to a temporary folder, runs `feedwatch parse FILE` (the full JSON output) under
# /usr/bin/time, and checks the issue's bounds: under 1 s, under 50 MB peak RSS, and no byte of the secret file
# in the output or the error stream. Documents:
#   xxe-file         <!ENTITY x SYSTEM "file:///…/secret.txt"> used in titles, text and an attribute
#   dtd-file         <!DOCTYPE rss SYSTEM "file:///…/evil.dtd">, the DTD defining an entity from the secret
#   dtd-http         the same DTD named by http://127.0.0.1:<closed port>/ (that no connection is even
#                    attempted is checked by the unit test ExpansionAttackTests, with a listening socket)
#   param-entity     <!ENTITY % p SYSTEM "file:///…/evil.dtd"> %p;
#   billion-laughs   10 levels of 10 references (10^9 "lol" if expanded)
#   quadratic        a 30 KB entity referenced 3,000 times in text and attributes (~90 MB if expanded)
#   two-gigabytes    a 100 KB entity referenced 20,000 times: 160 KB of document, 2 GB if expanded
# Usage: Benchmarks/parse/hostile.sh [FEEDWATCH_BINARY]   (default: builds release; SCRATCH as in run.sh)
# Exit status 1 when a bound is exceeded or the secret leaks.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
BINARY=${1:-}
if [ -z "$BINARY" ]; then
  SCRATCH=${SCRATCH:-$ROOT/.build}
  (cd "$ROOT" && swift build -c release --static-swift-stdlib --product feedwatch --scratch-path "$SCRATCH" >&2)
  BINARY=$SCRATCH/release/feedwatch
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/feedwatch-hostile.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
SECRET="SECRET-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
echo "$SECRET" >"$WORK/secret.txt"
printf '<!ENTITY title SYSTEM "file://%s/secret.txt">\n' "$WORK" >"$WORK/evil.dtd"
# A port nothing listens on: bind, read the number, release.
CLOSED_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

python3 - "$WORK" "$CLOSED_PORT" "$ROOT/Tests/Fixtures/FeedParse/billion-laughs.xml" <<'PY'
import sys, shutil
work, port, laughs = sys.argv[1], sys.argv[2], sys.argv[3]
secret = f"file://{work}/secret.txt"
dtd = f"file://{work}/evil.dtd"
items = "<item><guid>1</guid><title>&title;</title></item>"
docs = {
    "xxe-file": f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY title SYSTEM "{secret}">]>'
                f'<rss><channel><title>&title;</title><item><guid>1</guid><title>&title;</title>'
                f'<description>x &title;</description><enclosure url="https://e.example/&title;" type="a"/>'
                f'</item></channel></rss>',
    "dtd-file": f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd}"><rss><channel>{items}</channel></rss>',
    "dtd-http": f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/evil.dtd">'
                f'<rss><channel>{items}</channel></rss>',
    "param-entity": f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "{dtd}"> %p;]>'
                    f'<rss><channel>{items}</channel></rss>',
    "quadratic": '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY y "' + "y" * 30000 + '">]><rss version="2.0"><channel>'
                 '<title>' + "&y;" * 30 + '</title>'
                 + "".join(f'<item><guid>{i}</guid><title>{"&y;" * 30}</title>'
                           f'<enclosure url="https://e.example/{"&y;" * 30}" type="a"/></item>' for i in range(100))
                 + '</channel></rss>',
    "two-gigabytes": '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "' + "x" * 100000 + '">]>'
                     '<rss version="2.0"><channel><title>Quadratic</title><item><guid>q</guid><title>blow-up</title>'
                     '<description>' + "&x;" * 20000 + '</description></item></channel></rss>',
}
for name, text in docs.items():
    with open(f"{work}/{name}.xml", "w") as f:
        f.write(text)
shutil.copy(laughs, f"{work}/billion-laughs.xml")
PY

FAILED=0
printf '| %-15s | %9s | %8s | %10s | %12s | %-8s | %s\n' document "size KB" seconds "peak RSS MB" "output bytes" leaked result
printf '|%s|%s|%s|%s|%s|%s|%s\n' -----------------  ----------- ---------- ------------ -------------- ---------- --------
for name in xxe-file dtd-file dtd-http param-entity billion-laughs quadratic two-gigabytes; do
  file=$WORK/$name.xml
  start=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$WORK/$name.rss" "$BINARY" parse "$file" >"$WORK/$name.out" 2>"$WORK/$name.err" || true
  end=$EPOCHREALTIME
  seconds=$(echo "$end - $start" | bc -l)
  kb=$(tail -1 "$WORK/$name.rss")
  leaked=no
  if grep -q "$SECRET" "$WORK/$name.out" "$WORK/$name.err"; then leaked=YES; fi
  result=ok
  if [ "$leaked" = YES ] || [ "$(echo "$seconds >= 1" | bc)" = 1 ] || [ "$kb" -ge 51200 ]; then
    result=FAILED
    FAILED=1
  fi
  printf '| %-15s | %9.1f | %8.3f | %10.1f | %12d | %-8s | %s\n' "$name" "$(echo "$(stat -c %s "$file") / 1024" | bc -l)" \
    "$seconds" "$(echo "$kb / 1024" | bc -l)" "$(stat -c %s "$WORK/$name.out")" "$leaked" "$result"
done
echo "bounds: < 1 s wall, < 50 MB peak RSS, secret never in stdout/stderr; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
exit "$FAILED"
