#!/usr/bin/env python3
"""Turns the <DOC> files of an article corpus (../shared/corpus/ant) into `feedwatch analyze --jsonl` input.

Usage: articles.py CORPUS_DIR OUT.jsonl [LIMIT]
Writes one {"id", "title", "text"} per line (at most LIMIT articles, in path order) and prints
"bytes articles": the UTF-8 bytes of title + text, and the count. Stdlib only; used by every analyzer
benchmark (run.sh, profile.sh, instructions.sh) and by the suite.
"""
import json
import os
import re
import sys


def main():
    corpus, out_path = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    total = count = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for folder, _, files in sorted(os.walk(corpus)):
            for name in sorted(files):
                if not name.endswith(".txt") or (limit is not None and count >= limit):
                    continue
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    raw = f.read()

                def field(tag):
                    match = re.search(r"<%s>(.*?)</%s>" % (tag, tag), raw, re.S)
                    return match.group(1).strip() if match else ""

                text = field("TEXT") or raw
                title = field("TITLE")
                total += len(title.encode("utf-8")) + len(text.encode("utf-8"))
                count += 1
                out.write(json.dumps({"id": field("DOCNO") or name, "title": title, "text": text},
                                     ensure_ascii=False) + "\n")
    print(total, count)


if __name__ == "__main__":
    main()
