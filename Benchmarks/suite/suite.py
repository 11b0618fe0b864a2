#!/usr/bin/env python3
"""Helpers of Benchmarks/suite/run.sh (stdlib only).

  suite.py manifest MANIFEST.tsv
      Prints "feeds items bytes" of a make_feeds.py corpus.
  suite.py record FILE T0 T1 TIMEFILE RC STATS0 STATS1
      Appends one run to FILE: wall seconds (from two $EPOCHREALTIME stamps), user, sys and max RSS
      (the last line of /usr/bin/time -f '%U %S %M'), exit status, and the server's 200s and 304s during the
      run (from two /__stats snapshots; "-" when there is no server).
  suite.py table OUT_DIR
      Reads OUT_DIR/t/*.tsv, OUT_DIR/facts.txt and OUT_DIR/latency.json and prints the result table
      (Markdown) with absolute figures, ratios and PASS/MISS per target of issue 8.
"""
import json
import os
import re
import statistics
import sys


def cmd_manifest(path):
    feeds = items = nbytes = 0
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            feeds += 1
            items += int(p[4])
            nbytes += int(p[5])
    print(feeds, items, nbytes)


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def cmd_record(path, t0, t1, timefile, rc, s0, s1):
    user = sys_ = rss = "nan"
    try:
        with open(timefile) as f:
            rows = [ln.split() for ln in f if re.match(r"^[\d.]+ [\d.]+ \d+\s*$", ln)]
        if rows:
            user, sys_, rss = rows[-1]
    except OSError:
        pass
    a, b = load_json(s0) or {}, load_json(s1) or {}
    if a and b:
        # The "after" snapshot counts the "before" /__stats request as one 200.
        ok = str(b.get("status_200", 0) - a.get("status_200", 0) - 1)
        nm = str(b.get("status_304", 0) - a.get("status_304", 0))
    else:
        ok = nm = "-"
    wall = float(t1) - float(t0)
    with open(path, "a") as f:
        f.write("%.4f\t%s\t%s\t%s\t%s\t%s\t%s\n" % (wall, user, sys_, rss, rc, ok, nm))


class Runs:
    """The recorded runs of one measurement."""

    def __init__(self, out, name):
        self.name = name
        self.rows = []
        path = os.path.join(out, "t", name + ".tsv")
        if os.path.exists(path):
            for line in open(path):
                p = line.rstrip("\n").split("\t")
                if len(p) >= 7 and p[4] == "0":
                    self.rows.append(dict(wall=float(p[0]), cpu=float(p[1]) + float(p[2]),
                                          rss=int(p[3]) / 1024, ok=p[5], nm=p[6]))
        self.failed = 0
        if os.path.exists(path):
            self.failed = sum(1 for line in open(path) if line.split("\t")[4:5] != ["0"])

    def __bool__(self):
        return bool(self.rows)

    @property
    def wall(self):
        return statistics.median(r["wall"] for r in self.rows)

    @property
    def cpu(self):
        return statistics.median(r["cpu"] for r in self.rows)

    @property
    def rss(self):
        return max(r["rss"] for r in self.rows)

    def http(self):
        r = self.rows[-1]
        return "" if r["ok"] == "-" else " [%s×200, %s×304]" % (r["ok"], r["nm"])

    def runs(self):
        return "%d run%s" % (len(self.rows), "" if len(self.rows) == 1 else "s") + (
            ", %d failed" % self.failed if self.failed else "")


def secs(x):
    return "%.3f s" % x if x < 10 else "%.2f s" % x


def cmd_table(out):
    facts = {}
    if os.path.exists(os.path.join(out, "facts.txt")):
        for line in open(os.path.join(out, "facts.txt"), encoding="utf-8"):
            k, _, v = line.rstrip("\n").partition("=")
            facts[k] = v
    rows = []

    def row(num, what, ours, peer, ratio, target, ok):
        verdict = "—" if ok is None else ("PASS" if ok else "MISS")
        rows.append((num, what, ours, peer, ratio, target, verdict))

    def missing(num, what, target, why="not measured"):
        row(num, what, why, "", "", target, None)

    n = facts.get("n", "?")
    # 1. cold cycle
    fw, nb = Runs(out, "fw_cold"), Runs(out, "nb_cold")
    if fw and nb:
        r = fw.wall / nb.wall
        row("1", "cold cycle, %s feeds, wall (median, %s)" % (n, fw.runs()),
            "%s (CPU %s)%s" % (secs(fw.wall), secs(fw.cpu), fw.http()),
            "newsboat %s (CPU %s)" % (secs(nb.wall), secs(nb.cpu)),
            "%.3f = 1/%.1f" % (r, 1 / r), "≤ 1/8 of newsboat", r <= 1 / 8)
    else:
        missing("1", "cold cycle, %s feeds" % n, "≤ 1/8 of newsboat")
    # 2. all-304 cycle
    fw, nb = Runs(out, "fw_304"), Runs(out, "nb_304")
    if fw and nb:
        r = fw.wall / nb.wall
        row("2", "unchanged cycle, %s feeds, all 304 (median, %s)" % (n, fw.runs()),
            "%s (CPU %s)%s" % (secs(fw.wall), secs(fw.cpu), fw.http()),
            "newsboat %s (CPU %s)%s" % (secs(nb.wall), secs(nb.cpu), nb.http()),
            "%.3f = 1/%.1f" % (r, 1 / r), "≤ 1/20 of newsboat", r <= 1 / 20)
    else:
        missing("2", "unchanged cycle, all 304", "≤ 1/20 of newsboat")
    # 3. parse throughput
    mb = float(facts.get("parse_bytes", 0)) / 1e6
    fw, fw1, xl, fr = (Runs(out, k) for k in ("fw_parse", "fw_parse_1job", "xmllint", "feedparser_rs"))
    if fw and xl and mb:
        peer = "xmllint --stream %.1f MB/s (%.1f MB per CPU-s)" % (mb / xl.wall, mb / xl.cpu)
        if fr:
            peer += "; feedparser-rs %.1f MB/s" % (mb / fr.wall)
            if facts.get("feedparser_rs_inproc"):
                peer += " (%.1f in-process)" % (mb / float(facts["feedparser_rs_inproc"]))
        ours = "%.1f MB/s (%s jobs; %.1f MB per CPU-s)" % (mb / fw.wall, facts.get("cpus", "?"), mb / fw.cpu)
        if fw1:
            ours += "; %.1f MB/s on 1 job" % (mb / fw1.wall)
        r = xl.wall / fw.wall
        row("3", "parse %.1f MB from disk (median, %s)" % (mb, fw.runs()), ours, peer,
            "%.2f× xmllint" % r, "≥ 0.6× xmllint", r >= 0.6)
    else:
        missing("3", "parse throughput", "≥ 0.6× xmllint")
    # 4. analyzer
    an = Runs(out, "fw_analyze")
    ab = float(facts.get("analyze_bytes", 0)) / 1e6
    if an and ab:
        rates = sorted(ab / r["cpu"] for r in an.rows)
        med = statistics.median(rates)
        row("4", "analyzer, %.1f MB of article text (%s articles), full default topics (%s)"
            % (ab, facts.get("analyze_articles", "?"), an.runs()),
            "%.1f MB/s per core (median; best %.1f; wall %s)" % (med, rates[-1], secs(an.wall)), "", "",
            "≥ 20 MB/s/core", med >= 20)
    else:
        missing("4", "analyzer throughput", "≥ 20 MB/s/core")
    # 5. peak RSS
    fw, nb = Runs(out, "fw_cold"), Runs(out, "nb_cold")
    if fw and nb:
        r = fw.rss / nb.rss
        row("5a", "peak RSS, cold cycle, %s feeds (max over runs)" % n, "%.1f MiB" % fw.rss,
            "newsboat %.1f MiB" % nb.rss, "%.2f× newsboat" % r, "≤ newsboat", r <= 1)
    else:
        missing("5a", "peak RSS, %s feeds" % n, "≤ newsboat")
    big = Runs(out, "fw_cold_big")
    nbig = facts.get("n_big", "?")
    if big:
        row("5b", "peak RSS, cold cycle, %s feeds (%s)" % (nbig, big.runs()),
            "%.1f MiB (%.1f MB); cycle %s%s" % (big.rss, big.rss * 1.048576, secs(big.wall), big.http()), "", "",
            "≤ 256 MB", big.rss * 1.048576 <= 256)
    elif big.failed:
        missing("5b", "peak RSS, cold cycle, %s feeds" % nbig, "≤ 256 MB",
                "the cycle did not finish within %s s (BIG_TIMEOUT)" % facts.get("big_timeout", "?"))
    else:
        missing("5b", "peak RSS, %s feeds" % nbig, "≤ 256 MB")
    # 6. latency
    lat = load_json(os.path.join(out, "latency.json"))
    if lat and lat.get("measured"):
        extra = ""
        if lat.get("not_fetched") or lat.get("no_alert"):
            # An item the daemon stored without an alert (e.g. it joined a story already alerted on) has no
            # latency to measure; it is reported, not counted as slow.
            extra = "; %d not fetched, %d stored without an alert" % (lat["not_fetched"], lat["no_alert"])
        ok = lat["max_s"] <= 1.0 and not lat.get("not_fetched")
        row("6", "latency fetch → alert line, daemon, %s feeds, %g s interval (%d items)"
            % (lat["feeds"], lat["interval_s"], lat["items"]),
            "median %.3f s, p90 %.3f s, max %.3f s (min %.3f)%s"
            % (lat["median_s"], lat["p90_s"], lat["max_s"], lat["min_s"], extra), "", "",
            "≤ 1 s after the fetch (max)", ok)
    else:
        why = ("error: " + lat["error"]) if lat and lat.get("error") else "not measured"
        missing("6", "latency fetch → alert line", "≤ 1 s after the fetch", why)

    head = ("#", "measure", "feedwatch", "peer", "ratio", "target", "result")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    notes = []
    if facts.get("alerts_cold"):
        notes.append("feedwatch's cold cycle at %s feeds wrote %s alert lines" % (n, facts["alerts_cold"])
                     + (", at %s feeds %s" % (nbig, facts["alerts_big"]) if facts.get("alerts_big") and big else ""))
    if facts.get("parse_check"):
        notes.append("feedwatch parse --summary read " + facts["parse_check"])
    if lat and lat.get("rows"):
        waits = [r["wait_for_fetch_s"] for r in lat["rows"] if r.get("wait_for_fetch_s") is not None]
        if waits:
            notes.append("latency: the first cycle took %.1f s; the new entries waited %.0f to %.0f s for their poll"
                         " (not counted)" % (lat.get("first_cycle_s", 0), min(waits), max(waits)))
    if notes:
        print()
        for line in notes:
            print("- " + line)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "manifest":
        cmd_manifest(*args)
    elif cmd == "record":
        cmd_record(*args)
    elif cmd == "table":
        cmd_table(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
