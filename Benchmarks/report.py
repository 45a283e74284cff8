"""Collects benchmark measurements and prints the side-by-side tables (stdlib only).

  report.py add RESULTS ROW CLIENT [--json FILE] [--time FILE] [k=v ...]
      appends one record: the last JSON line of FILE, /usr/bin/time's "%e %U %S %M" from --time
      (as proc_wall_s, proc_cpu_s, proc_rss_mb), and k=v extras (numbers when they parse).
  report.py table RESULTS [--smoke]
      prints one Markdown table per row P1-P7, V1 and M1 with medians over repetitions, ratios and targets.
"""
import json
import os
import statistics
import sys


def add(argv):
    path, row, client = argv[0], argv[1], argv[2]
    rec = {"row": row, "client": client}
    i = 3
    while i < len(argv):
        a = argv[i]
        if a == "--json":
            lines = [l for l in open(argv[i + 1]).read().splitlines() if l.strip().startswith("{")]
            if lines:
                rec.update(json.loads(lines[-1]))
            else:
                rec["error"] = "no JSON output"
            i += 2
        elif a == "--time":
            parts = open(argv[i + 1]).read().split()[-4:]
            wall, user, sys_, rss = (float(p) for p in parts)
            rec.update(proc_wall_s=wall, proc_cpu_s=user + sys_, proc_rss_mb=rss / 1024)
            i += 2
        else:
            k, v = a.split("=", 1)
            try:
                v = float(v) if "." in v else int(v)
            except ValueError:
                pass
            rec[k] = v
            i += 1
    with open(path, "a") as f:
        f.write(json.dumps(rec) + "\n")


def load(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        out.setdefault(r["row"], {}).setdefault(r["client"], []).append(r)
    return out


def med(recs, key):
    vals = [r[key] for r in recs if isinstance(r.get(key), (int, float))]
    return statistics.median(vals) if vals else None


def fmt(v, nd=2):
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.{nd}f}" if abs(v) >= 0.1 else f"{v:.{nd + 2}f}"


def verdict(ok, smoke):
    if ok is None:
        return "–"
    if smoke:
        return "(smoke: not judged)"
    return "**met**" if ok else "**missed**"


def per_request(recs, wall="wall_s", cpu="cpu_s"):
    """ms per request (wall) and CPU ms per request, medians over repetitions."""
    ms = [1000 * r[wall] / r["requests"] for r in recs if r.get(wall) and r.get("requests")]
    cpu_ms = [1000 * r[cpu] / r["requests"] for r in recs if r.get(cpu) is not None and r.get("requests")]
    return (statistics.median(ms) if ms else None, statistics.median(cpu_ms) if cpu_ms else None)


def table(path, smoke):
    data = load(path)
    out = []
    p = out.append
    reps = lambda recs: len(recs)

    if "P1" in data:
        d = data["P1"]
        p("### P1 — one image, one-shot CLI, real server (wall time of the whole process)\n")
        p("| image | client | runs | wall s (median) | CPU s (median) |\n|---|---|---|---|---|")
        lines = []
        for size, label in (("1080p", "1920×1080 JPEG (770 KB)"), ("vga", "640×480 JPEG")):
            w = {}
            for c in ("inference-cli", "rfclient", "curl", "server", "startup"):
                recs = d.get(f"{c}-{size}", [])
                if not recs:
                    continue
                if c == "server":
                    w[c] = med(recs, "server_s")
                    n = int(med(recs, "runs") or 0)
                    p(f"| {label} | server alone: the same body over a warm keep-alive connection (the floor) | {n} | {fmt(w[c], 3)} | – |")
                    continue
                w[c] = med(recs, "proc_wall_s")
                name = {"curl": "curl, body pre-encoded (a process that only sends)",
                        "startup": "`rfclient --version` (process start-up alone)"}.get(c, c)
                p(f"| {label} | {name} | {reps(recs)} | {fmt(w[c], 3)} | {fmt(med(recs, 'proc_cpu_s'), 3)} |")
            if w.get("inference-cli") and w.get("rfclient"):
                ratio = w["inference-cli"] / w["rfclient"]
                base = w.get("server") or w.get("curl")
                floor = w["inference-cli"] / base if base else None
                lines.append(f"{label}: rfclient is **{fmt(ratio, 1)}×** faster (target ≥ 35×): {verdict(ratio >= 35, smoke)}; "
                             f"a client costing nothing would be {fmt(floor, 1)}× faster")
        p("")
        for line in lines:
            p(line + "  ")
        p("")

    if "P2" in data:
        d = data["P2"]
        p("### P2 — sequential requests, stub server, 1080p JPEG\n")
        p("| client | runs | requests/run | ms/request (median) | client CPU ms/request | connections/run |\n|---|---|---|---|---|---|")
        vals = {}
        for c in ("python-sdk", "curl", "swift"):
            recs = d.get(c, [])
            ms, cpu = per_request(recs)
            vals[c] = ms
            p(f"| {c} | {reps(recs)} | {fmt(med(recs, 'requests'), 0)} | {fmt(ms)} | {fmt(cpu)} | {fmt(med(recs, 'connections'), 0)} |")
        s, cu, py = vals.get("swift"), vals.get("curl"), vals.get("python-sdk")
        r1 = s / cu if s and cu else None
        r2 = py / s if s and py else None
        p(f"\nSwift / curl time per request: **{fmt(r1)}×** (target ≤ 2×): {verdict(r1 and r1 <= 2, smoke)}  ")
        p(f"Python / Swift: **{fmt(r2, 1)}×** faster (target ≥ 7×): {verdict(r2 and r2 >= 7, smoke)}\n")

    if "P3" in data:
        d = data["P3"]
        p("### P3 — 4 requests in flight, stub server\n")
        p("| client | runs | requests/run | req/s (median) | client CPU ms/request | connections/run |\n|---|---|---|---|---|---|")
        rps = {}
        for c in ("python-sdk", "wrk", "swift"):
            recs = d.get(c, [])
            for r in recs:
                if r.get("requests") and r.get("wall_s"):
                    r["rps"] = r["requests"] / r["wall_s"]
            _, cpu = per_request(recs)
            rps[c] = med(recs, "rps")
            p(f"| {c} | {reps(recs)} | {fmt(med(recs, 'requests'), 0)} | {fmt(rps[c], 1)} | {fmt(cpu)} | {fmt(med(recs, 'connections'), 0)} |")
        s, w, py = rps.get("swift"), rps.get("wrk"), rps.get("python-sdk")
        r1 = s / py if s and py else None
        r2 = s / w if s and w else None
        p(f"\nSwift / Python: **{fmt(r1, 1)}×** (target ≥ 14×): {verdict(r1 and r1 >= 14, smoke)}  ")
        p(f"Swift / wrk: **{fmt(100 * r2 if r2 else None, 0)} %** (target ≥ 48 %): {verdict(r2 and r2 >= 0.48, smoke)}\n")

    if "P4" in data:
        d = data["P4"]
        p("### P4 — 4 in flight, real inference server, 200 distinct 1080p JPEGs, blur workflow\n")
        p("| client | runs | requests/run | req/s (median) | % of wrk | client CPU ms/request |\n|---|---|---|---|---|---|")
        w = None
        for r in d.get("wrk", []):
            r["rps"] = r["requests"] / r["wall_s"]
        w = med(d.get("wrk", []), "rps")
        res = {}
        for c in ("python-sdk", "inference-cli", "wrk", "swift", "rfclient"):
            recs = d.get(c, [])
            for r in recs:
                wall = r.get("wall_s") or r.get("proc_wall_s")
                if r.get("requests") and wall:
                    r["rps"] = r["requests"] / wall
                    if r.get("cpu_s") is None and r.get("proc_cpu_s") is not None:
                        r["cpu_s"] = r["proc_cpu_s"]
            _, cpu = per_request(recs)
            res[c] = med(recs, "rps")
            pct = 100 * res[c] / w if res[c] and w else None
            p(f"| {c} | {reps(recs)} | {fmt(med(recs, 'requests'), 0)} | {fmt(res[c], 1)} | {fmt(pct, 0)} | {fmt(cpu)} |")
        s = res.get("swift")
        r = s / w if s and w else None
        p(f"\nSwift (InferenceBench) / wrk: **{fmt(100 * r if r else None, 0)} %** (target ≥ 90 %): {verdict(r and r >= 0.9, smoke)}. "
          "`inference-cli` and `rfclient` rows are whole processes (startup, file output included).\n")

    if "P5" in data:
        d = data["P5"]
        p("### P5 — `process` over a folder of small images, stub server (peak RSS of the whole process)\n")
        p("| client | images | wall s | images/s | peak RSS MB | RSS MB after the first 10 % |\n|---|---|---|---|---|---|")
        rss = {}
        for c in sorted(d):
            for r in d[c]:
                rss[c] = r
                p(f"| {r['client']} | {r.get('images')} | {fmt(r.get('proc_wall_s'))} | {fmt(r['images'] / r['proc_wall_s'] if r.get('proc_wall_s') else None, 0)} | {fmt(r.get('proc_rss_mb'), 1)} | {fmt(r.get('rss_at_tenth_mb'), 1)} |")
        small = [v for k, v in rss.items() if k.startswith("rfclient") and k.endswith("small")]
        big = [v for k, v in rss.items() if k.startswith("rfclient") and k.endswith("large")]
        if small and big:
            s_peak, b_peak, b_tenth = small[0].get("proc_rss_mb"), big[0].get("proc_rss_mb"), big[0].get("rss_at_tenth_mb")
            flat = b_peak <= s_peak * 1.10 + 1 and (not b_tenth or b_peak <= b_tenth * 1.10 + 1)
            p(f"\nrfclient peak RSS {fmt(s_peak, 1)} MB over {small[0]['images']} images, {fmt(b_peak, 1)} MB over "
              f"{big[0]['images']} ({fmt(b_tenth, 1)} MB once the first tenth was done). Target ≤ 64 MB and flat "
              f"(within 10 % + 1 MB): {verdict(b_peak <= 64 and flat, smoke)}\n")

    if "P6" in data:
        d = data["P6"]
        p("### P6 — 1920×1080 RGB pixels → JPEG q95 / PNG, same pixels (fastest encode over all rounds, ms)\n")
        p("| encode | OpenCV ms | Swift ms | Swift speed vs OpenCV | OpenCV bytes | Swift bytes |\n|---|---|---|---|---|---|")
        def fastest(recs):  # best encode over all rounds
            out = {}
            for r in recs:
                if r["codec"] not in out or r["best_ms"] < out[r["codec"]]["best_ms"]:
                    out[r["codec"]] = r
            return out

        cv, sw = fastest(d.get("opencv", [])), fastest(d.get("swift", []))
        pairs = [("JPEG q95", "jpeg_q95", "jpeg_q95")]
        pairs += [("PNG, defaults: OpenCV (SUB, level 1, Z_RLE) vs ours `fast: true` (same settings)", "png_opencv_default", "png_fast")]
        pairs += [("PNG, level 6 adaptive filters: OpenCV `IMWRITE_PNG_COMPRESSION=6` vs ours `fast: false`", "png_level6", "png_default")]
        for label, a, b in pairs:
            ra, rb = cv.get(a) if a else None, sw.get(b)
            if rb is None:
                continue
            speed = ra["best_ms"] / rb["best_ms"] if ra and rb else None
            p(f"| {label} | {fmt(ra['best_ms'] if ra else None)} | {fmt(rb['best_ms'])} | {fmt(speed)}× | {ra['bytes'] if ra else '–'} | {rb['bytes']} |")
        j = (cv["jpeg_q95"]["best_ms"] / sw["jpeg_q95"]["best_ms"]) if "jpeg_q95" in cv and "jpeg_q95" in sw else None
        pk = "png" if "png" in sw else "png_fast"
        pn = (cv["png_opencv_default"]["best_ms"] / sw[pk]["best_ms"]) if "png_opencv_default" in cv and pk in sw else None
        p(f"\nJPEG: **{fmt(j)}×** OpenCV's speed, PNG (defaults): **{fmt(pn)}×** (target ≥ 0.9×): "
          f"{verdict((j or 0) >= 0.9 and (pn or 0) >= 0.9 if j and pn else None, smoke)}\n")
    if "P7" in data:
        sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
        from bench_vs_api_speed import table as p7_table
        out += p7_table(data["P7"], smoke)
    if "V1" in data:
        video_table(data["V1"], p, smoke)
    if "M1" in data:
        model_folder_table(data["M1"], p, smoke)
    print("\n".join(out))


def model_folder_table(d, p, smoke):
    """M1 (issue 18): rfclient process against inference-cli's process-images-directory, detection workflow."""
    def order(c):
        kind, _, arg = c.rpartition("-")
        return (0 if kind.startswith("inference-cli") else 1, 0 if arg == "default" else int(arg.lstrip("tc") or 0))
    clients = sorted(d, key=order)
    n = med([r for c in clients for r in d[c]], "images")
    p(f"### M1 — a folder of {fmt(n, 0)} 640×480 JPEGs through a detection workflow (yolov8n-640 fixture), real server, "
      "whole client processes\n")
    p("| client | runs | images | wall s (median) | images/s | client CPU ms/image | server CPU ms/image | client CPU / server CPU |\n"
      "|---|---|---|---|---|---|---|---|")
    res = {}
    for c in clients:
        recs = d[c]
        for r in recs:
            if r.get("images") and r.get("proc_wall_s"):
                r["ips"] = r["images"] / r["proc_wall_s"]
                r["cpu_ms"] = 1000 * r["proc_cpu_s"] / r["images"]
                r["server_ms"] = server_ms(r, r["images"])
                r["share"] = r["cpu_ms"] / r["server_ms"] if r.get("server_ms") else None
        res[c] = {k: med(recs, k) for k in ("ips", "cpu_ms", "server_ms", "share", "proc_wall_s")}
        kind, _, arg = c.rpartition("-")
        if kind == "inference-cli":
            name = ("`inference workflows process-images-directory` (default threads: 1 for a local server)" if arg == "default"
                    else f"`inference workflows process-images-directory --threads {arg[1:]}`")
        else:
            name = ("`rfclient process` (default concurrency: 4 for a local server)" if arg == "default"
                    else f"`rfclient process --concurrency {arg[1:]}`")
        share = res[c]["share"]
        p(f"| {name} | {len(recs)} | {fmt(med(recs, 'images'), 0)} | {fmt(res[c]['proc_wall_s'])} | {fmt(res[c]['ips'], 1)} | "
          f"{fmt(res[c]['cpu_ms'])} | {fmt(res[c]['server_ms'], 1)} | {fmt(100 * share if share else None, 1)} % |")
    p("")
    peers = {c: v for c, v in res.items() if c.startswith("inference-cli") and v["ips"]}
    rf = res.get("rfclient-default")
    if rf and rf.get("share") is not None:
        p(f"rfclient (default concurrency) spends **{fmt(rf['cpu_ms'])} ms** of CPU per image against the server's "
          f"{fmt(rf['server_ms'], 1)} ms: **{fmt(100 * rf['share'], 1)} %** (target ≤ 5 %): {verdict(rf['share'] <= 0.05, smoke)}  ")
    if rf and rf.get("ips") and peers:
        best = max(peers, key=lambda c: peers[c]["ips"])
        label = "its default threads" if best.endswith("default") else f"--threads {best.rpartition('-')[2][1:]}"
        ratio = rf["ips"] / peers[best]["ips"]
        p(f"rfclient (default concurrency) **{fmt(rf['ips'], 1)} images/s** against inference-cli's best "
          f"{fmt(peers[best]['ips'], 1)} ({label}): **{fmt(ratio)}×** (target ≥ 1×): {verdict(ratio >= 1, smoke)}")
    # Client and server share the cores: together they sustain at most cores × 1000 / (server + client CPU ms) images/s.
    cores = os.cpu_count() or 1
    for c in ("rfclient-default", max(peers, key=lambda c: peers[c]["ips"]) if peers else None):
        r = res.get(c) if c else None
        if r and r.get("server_ms") and r.get("cpu_ms") and r.get("ips"):
            ceiling = 1000 * cores / (r["server_ms"] + r["cpu_ms"])
            p(f"\n{c}: with {cores} cores, server {fmt(r['server_ms'], 1)} + client {fmt(r['cpu_ms'])} ms of CPU per image allow "
              f"at most **{fmt(ceiling, 1)} images/s**; measured {fmt(r['ips'], 1)} ({fmt(100 * r['ips'] / ceiling, 0)} % of that).")
    p("")


def video_table(d, p, smoke):
    """V1: rfclient process-video against inference-cli's process-video and the server alone, one run."""
    hd_frames = med(d.get("decode-1080p", []) or d.get("rfclient-1080p", []), "frames")
    p(f"### V1 — video, blur workflow, real server: 300-frame 640×480 H.264 clip (~130 KB per frame as JPEG q95); "
      f"{fmt(hd_frames, 0)}-frame 1080p clips\n")
    p("| clip | client | runs | frames | wall s (median) | frames/s | % of server alone | peak RSS MB | client CPU ms/frame | server CPU ms/frame |\n"
      "|---|---|---|---|---|---|---|---|---|---|")
    res = {}
    for size, label in (("vga", "640×480"), ("1080p", "1920×1080")):
        server = d.get(f"server-{size}", [])
        server_rates(server)
        s = med(server, "fps")
        res[f"server-{size}"] = s
        res[f"server-{size}-ms"] = med(server, "server_ms")
        p(f"| {label} | server alone (wrk -c4, the same frame pre-encoded) | {len(server)} | – | – | {fmt(s, 1)} | 100 | – | – | "
          f"{fmt(res[f'server-{size}-ms'])} |")
        for c in (("inference-cli", "rfclient", "rfclient-normal") if size == "vga" else ("rfclient-1080p", "rfclient-1080p-normal")):
            recs = d.get(c, [])
            if not recs:
                continue
            client_rates(recs)
            f = med(recs, "fps")
            res[c] = {"wall": med(recs, "proc_wall_s"), "fps": f, "rss": med(recs, "proc_rss_mb"), "cpu": med(recs, "cpu_ms"),
                      "server_ms": med(recs, "server_ms")}
            pct = 100 * f / s if f and s else None
            name = {"inference-cli": "`inference workflows process-video` (runs the workflow in-process)",
                    "rfclient": "`rfclient process-video --concurrency 4` (default priority: background, the server being here)",
                    "rfclient-normal": "`rfclient process-video --concurrency 4 --cpu-priority normal`",
                    "rfclient-1080p": "`rfclient process-video --concurrency 4` (default priority: background, the server being here)",
                    "rfclient-1080p-normal": "`rfclient process-video --concurrency 4 --cpu-priority normal`"}[c]
            p(f"| {label} | {name} | {len(recs)} | {fmt(med(recs, 'frames'), 0)} | {fmt(res[c]['wall'])} | {fmt(f, 1)} | "
              f"{fmt(pct, 0)} | {fmt(res[c]['rss'], 0)} | {fmt(res[c]['cpu'])} | {fmt(res[c]['server_ms'])} |")
    pinned, pinned_server = d.get("rfclient-1080p-pinned", []), d.get("server-1080p-pinned", [])
    if pinned and pinned_server:
        server_rates(pinned_server)
        client_rates(pinned)
        s1, f1 = med(pinned_server, "fps"), med(pinned, "fps")
        res["pinned"] = (s1, f1)
        p(f"| 1920×1080, server on CPU 0 only | server alone (wrk -c4 on CPU 1) | {len(pinned_server)} | – | – | {fmt(s1, 1)} | 100 | – | – | "
          f"{fmt(med(pinned_server, 'server_ms'))} |")
        p(f"| 1920×1080, server on CPU 0 only | `rfclient process-video --concurrency 4` on CPU 1 | {len(pinned)} | {fmt(med(pinned, 'frames'), 0)} | "
          f"{fmt(med(pinned, 'proc_wall_s'))} | {fmt(f1, 1)} | {fmt(100 * f1 / s1 if f1 and s1 else None, 0)} | {fmt(med(pinned, 'proc_rss_mb'), 0)} | "
          f"{fmt(med(pinned, 'cpu_ms'))} | {fmt(med(pinned, 'server_ms'))} |")
    for c, label in (("decode-vga", "640×480 natural-looking"), ("decode-1080p", "1920×1080 testsrc2"),
                     ("decode-1080p-natural", "1920×1080 natural-looking (worst case)")):
        recs = d.get(c, [])
        cpu_per_frame(recs)
        if recs:
            res[c] = med(recs, "cpu_ms")
            p(f"| {label} | `rfclient process-video --decode-only` (decode + JPEG q95, nothing sent) | {len(recs)} | "
              f"{fmt(med(recs, 'frames'), 0)} | {fmt(med(recs, 'proc_wall_s'))} | – | – | {fmt(med(recs, 'proc_rss_mb'), 0)} | {fmt(res[c])} | – |")
    # This machine's speed: FFmpeg's own CLI decoding the same 1080p clip on one thread, nothing else.
    ff = d.get("ffmpeg-decode-1080p", [])
    cpu_per_frame(ff)
    if ff:
        res["ffmpeg-decode-1080p"] = med(ff, "cpu_ms")
        p(f"| 1920×1080 testsrc2 | `ffmpeg -threads 1 -i CLIP -f null -` (decoding alone by FFmpeg's CLI: this machine's speed) | "
          f"{len(ff)} | {fmt(med(ff, 'frames'), 0)} | {fmt(med(ff, 'proc_wall_s'))} | – | – | {fmt(med(ff, 'proc_rss_mb'), 0)} | "
          f"{fmt(res['ffmpeg-decode-1080p'])} | – |")
    first, whole = d.get("decode-1080p-first", []), d.get("decode-1080p", [])
    if first and whole and med(whole, "frames") and med(whole, "frames") > 1:
        n = med(whole, "frames")
        res["decode-1080p-marginal"] = 1000 * (med(whole, "proc_cpu_s") - med(first, "proc_cpu_s")) / (n - 1)
        res["decode-1080p-startup"] = 1000 * med(first, "proc_cpu_s")
        p(f"| 1920×1080 testsrc2, start-up excluded | the same, less a run of the clip's first frame alone "
          f"({fmt(res['decode-1080p-startup'], 0)} ms: start-up, open, one frame), per further frame | {len(first)} | "
          f"{fmt(n - 1, 0)} | – | – | – | – | {fmt(res['decode-1080p-marginal'])} | – |")
    p("")
    cli, rf, hd = res.get("inference-cli"), res.get("rfclient"), res.get("rfclient-1080p")
    if cli and rf and cli["wall"] and rf["wall"]:
        ratio = cli["wall"] / rf["wall"]
        p(f"640×480: rfclient is **{fmt(ratio, 1)}×** faster than inference-cli (target ≥ 4.5×): {verdict(ratio >= 4.5, smoke)}  ")
    if rf:
        s = res.get("server-vga")
        pct = rf["fps"] / s if rf.get("fps") and s else None
        p(f"640×480: peak RSS **{fmt(rf['rss'], 0)} MB** (target ≤ 100 MB): {verdict(rf['rss'] <= 100 if rf.get('rss') else None, smoke)}; "
          f"frames/s **{fmt(100 * pct if pct else None, 0)} %** of the server alone (target ≥ 80 %): {verdict(pct >= 0.8 if pct else None, smoke)}  ")
    if hd:
        s = res.get("server-1080p")
        pct = hd["fps"] / s if hd.get("fps") and s else None
        dec, marginal = res.get("decode-1080p"), res.get("decode-1080p-marginal")
        basis = dec if marginal is None else marginal
        p(f"1080p (testsrc2): client CPU for decode + JPEG **{fmt(basis)} ms/frame**"
          f"{'' if marginal is None else f' start-up excluded ({fmt(dec)} whole process over the clip)'} (target ≤ 10 ms): "
          f"{verdict(basis <= 10 if basis else None, smoke)}; everything rfclient does (also base64, HTTP, results) "
          f"{fmt(hd['cpu'])} ms/frame; frames/s **{fmt(100 * pct if pct else None, 0)} %** of the server alone "
          f"(target ≥ 80 %): {verdict(pct >= 0.8 if pct else None, smoke)}")
        ff_ms = res.get("ffmpeg-decode-1080p")
        if ff_ms and basis:
            p(f"\n1080p: FFmpeg's CLI alone spends **{fmt(ff_ms)} ms** per frame decoding the same clip on one thread here, so "
              f"rfclient's decode + JPEG ({fmt(basis)} ms) is **{fmt(basis / ff_ms)}×** decoding alone; the ≤ 10 ms target "
              f"{'leaves' if ff_ms < 10 else 'is below decoding alone on this machine, leaving'} "
              f"{fmt(max(0.0, 10 - ff_ms))} ms for the JPEG encoding.")
    for size, c, label in (("vga", "rfclient-normal", "640×480"), ("1080p", "rfclient-1080p-normal", "1080p")):
        r, alone = res.get(c), res.get(f"server-{size}")
        if r and r.get("fps") and alone:
            p(f"\n{label} with `--cpu-priority normal` (the client competing with the server for CPU): "
              f"**{fmt(100 * r['fps'] / alone, 0)} %** of the server alone, in the same rounds.")
    # Client and server share the machine's cores: at most cores / (server + client CPU per frame) frames/s together.
    for size, c, label in (("vga", "rfclient", "640×480"), ("1080p", "rfclient-1080p", "1080p")):
        r, alone = res.get(c), res.get(f"server-{size}")
        if r and r.get("server_ms") and r.get("cpu") and alone:
            cores = os.cpu_count() or 1
            ceiling = 1000 * cores / (r["server_ms"] + r["cpu"])
            p(f"\n{label}: the server spent **{fmt(r['server_ms'])} ms** of CPU per frame during rfclient's run "
              f"({fmt(res.get(f'server-{size}-ms'))} alone) and rfclient {fmt(r['cpu'])} ms; sharing {cores} cores, both together "
              f"can sustain at most {cores} × 1000 / ({fmt(r['server_ms'])} + {fmt(r['cpu'])}) = **{fmt(ceiling, 1)} frames/s = "
              f"{fmt(100 * ceiling / alone, 0)} %** of the server alone; measured {fmt(100 * r['fps'] / alone if r.get('fps') else None, 0)} %.")
    if res.get("pinned") and all(res["pinned"]):
        s1, f1 = res["pinned"]
        p(f"\n1080p with the server on CPU 0 and the client on CPU 1 (not the target's setting, where both share the cores): "
          f"rfclient reaches **{fmt(100 * f1 / s1, 0)} %** of that server alone"
          + (" — the shortfall above is CPU the client takes from the server." if f1 / s1 >= 0.9 else "."))
    p("")


def server_rates(recs):
    """wrk rows of V1: requests per second and the server's CPU ms per request, into each record."""
    for r in recs:
        r["fps"] = r["requests"] / r["wall_s"] if r.get("wall_s") else None
        r["server_ms"] = server_ms(r, r.get("requests"))


def cpu_per_frame(recs):
    """Decode-only rows of V1 (rfclient --decode-only, ffmpeg): the process's CPU ms per frame, into each record."""
    for r in recs:
        if r.get("frames"):
            r["cpu_ms"] = 1000 * r["proc_cpu_s"] / r["frames"]


def client_rates(recs):
    """rfclient / inference-cli rows of V1: frames per second, client and server CPU ms per frame, into each record."""
    for r in recs:
        if r.get("frames") and r.get("proc_wall_s"):
            r["fps"] = r["frames"] / r["proc_wall_s"]
            r["cpu_ms"] = 1000 * r["proc_cpu_s"] / r["frames"]
        r["server_ms"] = server_ms(r, r.get("frames"))


def server_ms(r, frames):
    """The server's CPU milliseconds per frame of a phase (its CPU seconds over the phase / frames), if measured."""
    cpu = r.get("server_cpu_s")
    return 1000 * cpu / frames if isinstance(cpu, (int, float)) and frames else None


if __name__ == "__main__":
    if sys.argv[1] == "add":
        add(sys.argv[2:])
    else:
        table(sys.argv[2], "--smoke" in sys.argv)
