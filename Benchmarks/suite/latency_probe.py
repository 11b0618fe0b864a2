#!/usr/bin/env python3
"""End-to-end latency probe for `feedwatch run` (benchmark 6 of Benchmarks/suite/run.sh).

  latency_probe.py --feeds DIR --port P --alert-log FILE --items K --interval S \
      [--max-seconds 600] [--pidfile FILE] [--json OUT] -- DAEMON COMMAND...

What it does, in one process, every step bounded in time:
  1. serves every *.xml file of DIR on 127.0.0.1:P. Unlike ../shared/bench/serve_feeds.py (which loads
     the files once, at start) it reads a file from disk on each request, so an item written into a file
     is served by the next fetch. Strong ETag (SHA-1 of the bytes) and Last-Modified (file mtime) with
     If-None-Match / If-Modified-Since answered by 304, HTTP/1.1 keep-alive, Cache-Control: max-age=0.
  2. starts the daemon command (its PID goes to --pidfile), waits until every feed was fetched once and
     the alert log has stopped growing (the first, cold cycle is over);
  3. writes one new entry into each of K Atom feeds of DIR (Atom: no <ttl>, so the feed is polled at the
     configured interval) at the same moment, an entry about a rocket attack on a base that the default
     topics alert on, with a unique id;
  4. notes, per entry, when the server received the request whose answer carried it, and when its alert
     line (matched by item.guid) appeared in the alert log (the log is read every 5 ms);
  5. stops the daemon (SIGTERM, then SIGKILL after 15 s) and the server, and prints one JSON object:
     latencies in seconds from the fetch to the alert line, and the wait from the write to the fetch.
The wait for the poll (up to the interval plus jitter) is not part of the latency: the issue's target is
"alert within 1 s after the fetch that brings the item".
"""
import argparse
import email.utils
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Events:
    """Requests seen by the server, shared with the main thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.paths = set()  # feed paths fetched at least once
        self.requests = 0
        self.probe_fetch = {}  # guid -> time the request that served it arrived
        self.watch = {}  # path -> guid written into it, not yet served

    def seen(self, path, arrived, body):
        with self.lock:
            self.requests += 1
            self.paths.add(path)
            guid = self.watch.get(path)
            if guid is not None and body is not None and guid.encode() in body:
                self.probe_fetch.setdefault(guid, arrived)
                del self.watch[path]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "latency-probe/1"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        arrived = time.time()
        name = self.path.split("?", 1)[0].lstrip("/")
        path = os.path.join(self.server.folder, name)
        if "/" in name or not name.endswith(".xml") or not os.path.isfile(path):
            return self.answer(404, b"not found\n", [("Content-Type", "text/plain")])
        with open(path, "rb") as f:
            body = f.read()
            mtime = int(os.fstat(f.fileno()).st_mtime)
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:20]
        headers = [("ETag", etag), ("Last-Modified", email.utils.formatdate(mtime, usegmt=True)),
                   ("Cache-Control", "max-age=0")]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = etag in [t.strip().removeprefix("W/") for t in inm.split(",")] or inm.strip() == "*"
        elif ims is not None:
            try:
                fresh = mtime <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                fresh = False
        self.server.events.seen("/" + name, arrived, None if fresh else body)
        if fresh:
            return self.answer(304, b"", headers)
        kind = "application/atom+xml" if b"<feed" in body[:400] else "application/xml"
        return self.answer(200, body, headers + [("Content-Type", kind)])

    def answer(self, code, body, headers):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def atom_feeds(folder):
    """Names of the Atom feeds of the corpus, from its manifest (or by sniffing the files)."""
    manifest = os.path.join(folder, "manifest.tsv")
    names = []
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as f:
            next(f)
            for line in f:
                p = line.rstrip("\n").split("\t")
                if p[1] == "atom":
                    names.append((p[0], p[2]))
    else:
        for n in sorted(os.listdir(folder)):
            if n.endswith(".xml"):
                with open(os.path.join(folder, n), "rb") as f:
                    if b"<feed" in f.read(600):
                        names.append((n, "en"))
    return names


# Bases named by no corpus feed, so a probe entry starts a story of its own instead of joining one the
# corpus already alerted on (the daemon does not alert twice on one story).
EN_PLACES = ["Harir air base", "Victory base", "Balad air base", "al-Tanf garrison", "Camp Taji", "K1 air base",
             "Qayyarah airfield", "Rumaylan landing zone", "Camp Speicher", "Bashur airfield"]
AR_PLACES = ["قاعدة حرير", "قاعدة فكتوري", "قاعدة بلد الجوية", "قاعدة التنف", "معسكر التاجي", "قاعدة كي وان",
             "مطار القيارة", "قاعدة رميلان", "قاعدة سبايكر", "مطار باشور"]


def entry(k, guid, lang, now):
    """One Atom entry: a rocket attack on a base, worded differently per probe so no two are one story."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    n = 3 + k % 7
    if lang == "ar":
        place = AR_PLACES[k % len(AR_PLACES)]
        title = "هجوم صاروخي يستهدف %s بـ%d صواريخ (اختبار %s)" % (place, n, guid[-6:])
        text = ("أعلنت مصادر أمنية أن هجوماً صاروخياً استهدف %s فجر اليوم، وسقط %d صواريخ داخل القاعدة "
                "التي تضم قوات أجنبية. ولم تعلن أي جهة مسؤوليتها عن الهجوم. الرقم المرجعي %s."
                % (place, n, guid[-6:]))
    else:
        place = EN_PLACES[k % len(EN_PLACES)]
        title = "Rocket attack targets %s, %d rockets hit (probe %s)" % (place, n, guid[-6:])
        text = ("Security sources said a rocket attack targeted %s at dawn, and %d rockets landed inside "
                "the base, which hosts foreign troops. No group has claimed the attack. Reference %s."
                % (place, n, guid[-6:]))
    return ("<entry><title>%s</title><link href=\"http://probe.invalid/%s\"/><id>%s</id>"
            "<updated>%s</updated><summary>%s</summary></entry>\n" % (title, guid[-6:], guid, stamp, text))


def insert_entry(path, xml_entry):
    """Writes the entry before the feed's first <entry> (feeds list newest first), atomically."""
    with open(path, "rb") as f:
        data = f.read()
    at = data.find(b"<entry")
    if at < 0:
        at = data.rfind(b"</feed>")
    data = data[:at] + xml_entry.encode("utf-8") + data[at:]
    tmp = path + ".probe-tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class LogTail:
    """Reads the lines appended to the alert log and notes when each probe guid first shows up."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = b""
        self.lines = 0

    def size(self):
        try:
            return os.stat(self.path).st_size
        except OSError:
            return 0

    def skip_to_end(self):
        self.offset = self.size()
        self.partial = b""

    def poll(self, prefix, found):
        if self.size() <= self.offset:
            return
        now = time.time()
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            chunk = f.read()
        self.offset += len(chunk)
        data = self.partial + chunk
        *complete, self.partial = data.split(b"\n")
        for line in complete:
            self.lines += 1
            if prefix.encode() not in line:
                continue
            try:
                guid = json.loads(line)["item"]["guid"]
            except (ValueError, KeyError, TypeError):
                continue
            found.setdefault(guid, now)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feeds", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--alert-log", required=True)
    ap.add_argument("--items", type=int, default=8)
    ap.add_argument("--interval", type=float, default=60)
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--pidfile")
    ap.add_argument("--daemon-log", default=os.devnull)
    ap.add_argument("--json")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not command:
        ap.error("no daemon command after --")
    deadline = time.time() + a.max_seconds

    def stop(*_):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    srv = Server(("127.0.0.1", a.port), Handler)
    srv.folder = a.feeds
    srv.events = Events()
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    feeds = sorted(n for n in os.listdir(a.feeds) if n.endswith(".xml"))
    result = {"feeds": len(feeds), "items": a.items, "interval_s": a.interval}
    daemon = None
    try:
        log = open(a.daemon_log, "ab")
        daemon = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        if a.pidfile:
            with open(a.pidfile, "w") as f:
                f.write("%d\n" % daemon.pid)
        tail = LogTail(a.alert_log)
        # 2. the first cycle: every feed fetched once, then the log quiet for 3 s.
        t0 = time.time()
        quiet_since, last_size = time.time(), -1
        while time.time() < deadline:
            if daemon.poll() is not None:
                raise RuntimeError("the daemon exited with status %s during the first cycle" % daemon.returncode)
            with srv.events.lock:
                fetched = len(srv.events.paths)
            size = tail.size()
            if size != last_size:
                last_size, quiet_since = size, time.time()
            if fetched >= len(feeds) and time.time() - quiet_since >= 3:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("the first cycle did not end in time (%d of %d feeds fetched)" % (fetched, len(feeds)))
        result["first_cycle_s"] = round(quiet_since - t0, 2)
        tail.skip_to_end()
        # 3. new entries in K Atom feeds, spread over the corpus.
        atoms = atom_feeds(a.feeds)
        if not atoms:
            raise RuntimeError("no Atom feed in %s" % a.feeds)
        step = max(1, len(atoms) // a.items)
        chosen = atoms[::step][:a.items]
        run_id = "%x" % int(time.time())
        prefix = "urn:feedwatch-probe:%s:" % run_id
        written = {}
        for k, (name, lang) in enumerate(chosen):
            guid = "%s%03d%s" % (prefix, k, hashlib.sha1(("%s%d" % (run_id, k)).encode()).hexdigest()[:6])
            with srv.events.lock:
                srv.events.watch["/" + name] = guid
            insert_entry(os.path.join(a.feeds, name), entry(k, guid, lang, time.time()))
            written[guid] = (name, time.time())
        # 4. wait for every fetch and alert: one interval plus jitter, plus slack.
        found = {}
        until = min(deadline, time.time() + a.interval * 1.2 + 60)
        while time.time() < until and len(found) < len(written):
            tail.poll(prefix, found)
            if daemon.poll() is not None:
                raise RuntimeError("the daemon exited with status %s" % daemon.returncode)
            time.sleep(0.005)
        with srv.events.lock:
            fetched_at = dict(srv.events.probe_fetch)
        rows = []
        for guid, (name, wrote) in written.items():
            got = fetched_at.get(guid)
            seen = found.get(guid)
            rows.append(dict(feed=name, wait_for_fetch_s=round(got - wrote, 3) if got else None,
                             latency_s=round(seen - got, 3) if got and seen else None))
        lat = sorted(r["latency_s"] for r in rows if r["latency_s"] is not None)
        result.update(
            rows=rows, measured=len(lat),
            not_fetched=sum(1 for r in rows if r["wait_for_fetch_s"] is None),
            no_alert=sum(1 for r in rows if r["wait_for_fetch_s"] is not None and r["latency_s"] is None),
            requests=srv.events.requests)
        if lat:
            result.update(min_s=lat[0], median_s=round(statistics.median(lat), 3), max_s=lat[-1],
                          p90_s=lat[min(len(lat) - 1, int(0.9 * len(lat)))])
    except RuntimeError as error:
        result["error"] = str(error)
    finally:
        if daemon is not None and daemon.poll() is None:
            daemon.terminate()  # only the daemon this probe started
            try:
                daemon.wait(timeout=15)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait(timeout=5)
        srv.shutdown()
        srv.server_close()
    line = json.dumps(result, ensure_ascii=False)
    if a.json:
        with open(a.json, "w") as f:
            f.write(line + "\n")
    print(line)
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
