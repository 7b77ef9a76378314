#!/usr/bin/env python3
"""Watches a morning benchmark run (bench/morning.sh, issue 19) and then judges it.

watch EVENTS PSQL_ARGS... : until the file EVENTS.stop exists, logs to EVENTS (JSON lines):
  - "db": the database's data stamp, polled every 50 ms, whenever it changes;
  - "page": each instance's watched priority page (street populations), polled about every 100 ms, with the data
    stamps the page carries (one expected), and a hash of its figures (every <tr data-measure> row).
report EVENTS WRK_DIR CHANGES_FILE: prints the results (see morning.sh).
Configuration through the environment: KCCSP_WATCH_URLS (space-separated page URLs, one per instance), KCCSP_WATCH_COOKIE.
"""
import hashlib, json, os, re, ssl, subprocess, sys, threading, time, urllib.request

def now():
    return time.time()

def watch(events, psql):
    urls = os.environ["KCCSP_WATCH_URLS"].split()
    cookie = os.environ["KCCSP_WATCH_COOKIE"]
    lock = threading.Lock()
    out = open(events, "a", buffering=1)
    def log(**e):
        with lock:
            out.write(json.dumps(e) + "\n")
    stop = events + ".stop"
    def db():
        last = None
        while not os.path.exists(stop):
            r = subprocess.run(psql + ["-tAc", 'SELECT "Stamp" FROM "DataVersions"'], capture_output=True, text=True)
            stamp = r.stdout.strip().replace("-", "").lower()
            if stamp and stamp != last:
                log(kind="db", t=now(), stamp=stamp)
                last = stamp
            time.sleep(0.05)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    def page(i, url):
        while not os.path.exists(stop):
            t0 = now()
            try:
                req = urllib.request.Request(url, headers={"Cookie": cookie})
                with urllib.request.urlopen(req, context=ctx, timeout=10) as resp:
                    body = resp.read().decode("utf-8", "replace")
                    status = resp.status
            except Exception as e:  # a 4xx/5xx or a refused connection is logged as such
                status, body = getattr(e, "code", -1), ""
            stamps = re.findall(r'data-stamp="([0-9a-f]{32})"', body)
            rows = re.findall(r'<tr data-measure="[^"]*".*?</tr>', body, re.S)
            log(kind="page", t=t0, done=now(), instance=i, status=status, stamps=stamps,
                figures=hashlib.sha256("".join(rows).encode()).hexdigest()[:16], rows=len(rows))
            time.sleep(0.1)
    threads = [threading.Thread(target=db)] + [threading.Thread(target=page, args=(i + 1, u)) for i, u in enumerate(urls)]
    for t in threads: t.start()
    for t in threads: t.join()

def latency_ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)$", v)
    x = float(m.group(1))
    return x / 1000 if m.group(2) == "us" else x if m.group(2) == "ms" else x * 1000

def parse_wrk(path):
    text = open(path).read()
    r = {}
    m = re.search(r"(\d+) requests in ([\d.]+)(s|m)", text)
    r["requests"] = int(m.group(1)) if m else 0
    for q in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % q, text, re.M)
        r["p" + q] = latency_ms(m.group(1)) if m else None
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["errors"] = sum(int(x) for x in m.groups()[:3]) if m else 0
    r["timeouts"] = int(m.group(4)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non2xx"] = int(m.group(1)) if m else 0
    r["non200"] = sum(int(x) for x in re.findall(r"^non-200: (\d+)", text, re.M))
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["rps"] = float(m.group(1)) if m else 0.0
    return r

def report(events, wrk_dir, changes_file, after_seconds, check_seconds):
    ev = [json.loads(l) for l in open(events) if l.strip()]
    changes = [json.loads(l) for l in open(changes_file) if l.strip()]
    dbs = [e for e in ev if e["kind"] == "db"]
    pages = [e for e in ev if e["kind"] == "page"]
    ok = True
    # Windows of wrk per instance: wrk-<instance>-<start epoch>-<seconds>.txt
    windows = []
    for name in sorted(os.listdir(wrk_dir)):
        m = re.match(r"wrk-(\d)-([\d.]+)-([\d.]+)\.txt$", name)
        if m:
            r = parse_wrk(os.path.join(wrk_dir, name))
            r.update(instance=int(m.group(1)), start=float(m.group(2)), seconds=float(m.group(3)))
            windows.append(r)
    base = min([w["start"] for w in windows] + [e["t"] for e in ev])
    # A change is its database stamp change; "right after" it is the after_seconds that follow (and the import itself).
    change_times = [d["t"] for d in dbs[1:]]
    busy = [(c["from"], c["to"]) for c in changes if c["what"].startswith("import")]
    def near_change(w):
        a, b = w["start"], w["start"] + w["seconds"]
        return any(a <= t + after_seconds and b >= t for t in change_times) or any(a <= y and b >= x for x, y in busy)
    print("\n== pages under load: %d windows of wrk per instance" % (len(windows) // 2 if windows else 0))
    print("%-9s %-6s %9s %9s %9s %8s %s" % ("instance", "at s", "req/s", "p50 ms", "p99 ms", "errors", "near a change"))
    for w in sorted(windows, key=lambda w: (w["start"], w["instance"])):
        print("%-9s %6.1f %9.0f %9.1f %9.1f %8d %s" % (w["instance"], w["start"] - base, w["rps"], w["p50"] or -1, w["p99"] or -1,
              w["errors"] + w["timeouts"] + w["non2xx"] + w["non200"], "yes" if near_change(w) else ""))
    total_requests = sum(w["requests"] for w in windows)
    span = max(w["start"] + w["seconds"] for w in windows) - min(w["start"] for w in windows)
    errors = sum(w["errors"] + w["timeouts"] + w["non2xx"] + w["non200"] for w in windows)
    quiet = [w for w in windows if not near_change(w)]
    p99_quiet = max((w["p99"] for w in quiet), default=None)
    p99_all = max(w["p99"] for w in windows)
    p50s = sorted(w["p50"] for w in windows)
    print("pages: %d requests in %.0f s on both instances, %.0f req/s; p50 (median window) %.1f ms; p99 worst window %.1f ms, "
          "worst outside changes %s ms; errors, timeouts, non-200: %d" % (total_requests, span, total_requests / span, p50s[len(p50s) // 2],
          p99_all, "%.1f" % p99_quiet if p99_quiet is not None else "n/a", errors))
    if errors: ok = False
    if p99_quiet is None or p99_quiet > 100: ok = False
    # Visibility: for every database stamp after the first, when each instance's page first showed it (or a later one).
    print("\n== changes and when both instances showed them (check interval %.2f s)" % check_seconds)
    order = {d["stamp"]: i for i, d in enumerate(dbs)}
    worst = 0.0
    for i, d in enumerate(dbs[1:], start=1):
        what = next((c["what"] for c in changes if c["from"] - 1 <= d["t"] <= c["to"] + 1), "?")
        delays = []
        for inst in sorted({p["instance"] for p in pages}):
            seen = next((p for p in pages if p["instance"] == inst and p["t"] >= d["t"] - 0.2 and p["stamps"] and order.get(p["stamps"][0], -1) >= i), None)
            # The first request that showed it: sent (t) and answered (done) that long after the change.
            delays.append(None if seen is None else (max(0.0, seen["t"] - d["t"]), seen["done"] - d["t"]))
        text = ", ".join("instance %d %s" % (n + 1, "never" if x is None else "asked %.2f s, answered %.2f s" % x) for n, x in enumerate(delays))
        print("at %6.1f s  %-34s stamp %s…  %s" % (d["t"] - base, what, d["stamp"][:8], text))
        for x in delays:
            if x is None: ok = False
            else: worst = max(worst, x[0])
    print("slowest: a request sent %.2f s after the change showed it (goal: within the check interval, %.2f s, plus one poll)" % (worst, check_seconds))
    if worst > check_seconds + 0.5: ok = False
    # No mixed page: one stamp per page, and one set of figures per stamp across both instances.
    bad = [p for p in pages if p["status"] == 200 and len(p["stamps"]) != 1]
    figures = {}
    for p in pages:
        if p["status"] == 200 and len(p["stamps"]) == 1: figures.setdefault(p["stamps"][0], set()).add(p["figures"])
    mixed = {s: f for s, f in figures.items() if len(f) > 1}
    failed = [p for p in pages if p["status"] != 200]
    print("\n== watched pages: %d (both instances), not 200: %d, without exactly one data stamp: %d; stamps seen %d, "
          "stamps with more than one set of figures: %d" % (len(pages), len(failed), len(bad), len(figures), len(mixed)))
    if bad or mixed or failed: ok = False
    return ok

if __name__ == "__main__":
    if sys.argv[1] == "watch":
        watch(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(0 if report(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), float(sys.argv[6])) else 1)
