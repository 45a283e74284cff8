"""P7: `rfclient bench` vs `inference benchmark api-speed`, same server, workflow and image, in one run (stdlib only).

  bench_vs_api_speed.py run --url URL --rfclient BIN --inference-cli BIN --spec SPEC --image JPG --work DIR
                            --results RESULTS --requests N --clients C1,C2 --reps R
      For each round and each client count, runs both tools in turn with N and then 2N measured requests
      (10 warm-up requests each) under timeit.py, and appends one record per tool run to RESULTS (report.py's
      format, row P7): the tool's own latency figures, its req/s, and the whole process's CPU.
  bench_vs_api_speed.py table RESULTS [--smoke]
      prints the P7 Markdown table (report.py calls it).

Client CPU per request is the *marginal* cost: (CPU of the 2N run − CPU of the N run) / N, which cancels each
tool's start-up (Python's imports take ~2 s of CPU) and warm-up; rfclient's own in-process figure for the measured
phase (`client_cpu.per_request_ms` in its report) is shown beside it. api-speed's `-br` is per client thread, so
it gets N / C per client for N in all.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(out, argv, **kwargs):
    """Runs argv under timeit.py; returns (wall, cpu, rss_mb)."""
    subprocess.run([sys.executable, os.path.join(HERE, "timeit.py"), out, "--"] + argv, check=True, **kwargs)
    wall, user, sys_, rss = (float(x) for x in open(out).read().split()[-4:])
    return wall, user + sys_, rss / 1024


def run_rfclient(a, n, clients, work):
    report = os.path.join(work, "rf.json")
    if os.path.exists(report):
        os.remove(report)
    wall, cpu, rss = timed(os.path.join(work, "t"), [
        a.rfclient, "bench", "--api-url", a.url, "--spec", a.spec, "--image", "image=" + a.image, "--requests", str(n),
        "--concurrency", str(clients), "--warmup", "10", "--interval", "0", "--json", report,
    ], stdout=subprocess.DEVNULL)
    r = json.load(open(report))
    lat = r["latency_ms"] or {}
    return {
        "requests": r["requests"], "rps": r["rps"], "error_rate": r["error_rate"], "mean_ms": lat.get("mean"),
        "p50_ms": lat.get("p50"), "p90_ms": lat.get("p90"), "p95_ms": lat.get("p95"), "p99_ms": lat.get("p99"),
        "self_cpu_ms": r["client_cpu"]["per_request_ms"], "proc_wall_s": wall, "proc_cpu_s": cpu, "proc_rss_mb": rss,
    }


def run_api_speed(a, n, clients, work, dataset):
    report = os.path.join(work, "py.json")
    if os.path.exists(report):
        os.remove(report)
    spec = json.dumps(json.load(open(a.spec)))
    per_client = max(1, n // clients)
    wall, cpu, rss = timed(os.path.join(work, "t"), [
        a.inference_cli, "benchmark", "api-speed", "-ws", spec, "-d", dataset, "-h", a.url, "-wr", "10",
        "-br", str(per_client), "-c", str(clients), "-o", report, "-y",
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r = json.load(open(report))["benchmark_results"]
    return {
        "requests": r["inferences_made"], "rps": r["requests_per_second"], "error_rate": r["error_rate"],
        "mean_ms": r["average_inference_latency_ms"], "p50_ms": r["p50_inference_latency_ms"],
        "p90_ms": r["p90_inference_latency_ms"], "p95_ms": r["p95_inference_latency_ms"],
        "p99_ms": r["p99_inference_latency_ms"], "proc_wall_s": wall, "proc_cpu_s": cpu, "proc_rss_mb": rss,
    }


def run(a):
    os.makedirs(a.work, exist_ok=True)
    dataset = os.path.join(a.work, "dataset")  # api-speed takes a folder: the one image alone in it
    shutil.rmtree(dataset, ignore_errors=True)
    os.makedirs(dataset)
    shutil.copy(a.image, os.path.join(dataset, os.path.basename(a.image)))
    with open(a.results, "a") as out:
        for _ in range(a.reps):
            for clients in [int(c) for c in a.clients.split(",")]:
                for size in ("n", "2n"):
                    n = a.requests * (2 if size == "2n" else 1)
                    for tool in ("api-speed", "rfclient"):
                        rec = run_api_speed(a, n, clients, a.work, dataset) if tool == "api-speed" else run_rfclient(a, n, clients, a.work)
                        rec.update(row="P7", client=f"{tool}-c{clients}-{size}", tool=tool, clients=clients, size=size)
                        out.write(json.dumps(rec) + "\n")
                        out.flush()


def fmt(v, nd=2):
    if v is None:
        return "–"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.{nd}f}"


def table(d, smoke=False):
    """Markdown lines for report.py's data["P7"] (client → records)."""
    med = lambda recs, k: statistics.median([r[k] for r in recs if isinstance(r.get(k), (int, float))]) if any(isinstance(r.get(k), (int, float)) for r in recs) else None
    lines = ["### P7 — `rfclient bench` vs `inference benchmark api-speed`, real server, same workflow and image\n",
             "| tool | clients | requests/run | runs | req/s | mean ms | p50 ms | p90 ms | p95 ms | p99 ms | errors | client CPU ms/request (marginal) | rfclient's own CPU ms/request |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    clients = sorted({r["clients"] for recs in d.values() for r in recs})
    notes = []
    for c in clients:
        cpu = {}
        for tool in ("api-speed", "rfclient"):
            big, small = d.get(f"{tool}-c{c}-2n", []), d.get(f"{tool}-c{c}-n", [])
            if not big:
                continue
            n_small, n_big = med(small, "requests"), med(big, "requests")
            marginal = None
            if small and n_big and n_small and n_big > n_small:
                marginal = 1000 * (med(big, "proc_cpu_s") - med(small, "proc_cpu_s")) / (n_big - n_small)
            cpu[tool] = marginal
            lines.append(f"| {tool} | {c} | {fmt(n_big, 0)} | {len(big)} | {fmt(med(big, 'rps'), 1)} | {fmt(med(big, 'mean_ms'))} | "
                         f"{fmt(med(big, 'p50_ms'))} | {fmt(med(big, 'p90_ms'))} | {fmt(med(big, 'p95_ms'))} | {fmt(med(big, 'p99_ms'))} | "
                         f"{fmt(100 * (med(big, 'error_rate') or 0), 1)} % | {fmt(marginal, 3)} | {fmt(med(big, 'self_cpu_ms'), 3) if tool == 'rfclient' else '–'} |")
        if not smoke and (cpu.get("api-speed") or 0) > 0 and (cpu.get("rfclient") or 0) > 0:
            notes.append(f"{c} client(s): api-speed spends **{fmt(cpu['api-speed'] / cpu['rfclient'], 1)}×** the client CPU per request of rfclient bench")
    lines.append("")
    lines += [n + "  " for n in notes]
    if smoke:
        lines.append("(smoke: tiny counts, debug build, not judged)")
    lines.append("")
    return lines


def main():
    if sys.argv[1] == "table":
        data = {}
        for line in open(sys.argv[2]):
            r = json.loads(line)
            if r.get("row") == "P7":
                data.setdefault(r["client"], []).append(r)
        print("\n".join(table(data, "--smoke" in sys.argv)))
        return
    p = argparse.ArgumentParser()
    p.add_argument("mode")
    for name in ("--url", "--rfclient", "--inference-cli", "--spec", "--image", "--work", "--results"):
        p.add_argument(name, required=True)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--clients", default="1,4")
    p.add_argument("--reps", type=int, default=1)
    run(p.parse_args())


if __name__ == "__main__":
    main()
