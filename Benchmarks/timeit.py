"""Runs a command and writes "wall_s user_s sys_s maxrss_kb" (the /usr/bin/time -f '%e %U %S %M' layout, but
with microsecond wall time and the child's own rusage from wait4).

  timeit.py OUT [--sample SAMPLES --progress FILE] -- CMD ARGS...

With --sample, VmRSS of the child is polled every 50 ms together with the number of lines in FILE (the job's
progress log), and written as "lines rss_kb" rows to SAMPLES (for the P5 flatness check).
"""
import os
import subprocess
import sys
import time


def count_lines(path):
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except OSError:
        return 0


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv):
    out = argv[0]
    i = 1
    samples_path = progress = None
    while argv[i] != "--":
        if argv[i] == "--sample":
            samples_path = argv[i + 1]
        elif argv[i] == "--progress":
            progress = argv[i + 1]
        i += 2
    cmd = argv[i + 1:]
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd)
    rows = []
    if samples_path:
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            rss = rss_kb(child.pid)
            if rss is not None:
                rows.append((count_lines(progress) if progress else 0, rss))
            time.sleep(0.05)
    else:
        pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    with open(out, "w") as f:
        f.write(f"{wall:.6f} {usage.ru_utime:.6f} {usage.ru_stime:.6f} {usage.ru_maxrss}\n")
    if samples_path:
        with open(samples_path, "w") as f:
            f.writelines(f"{n} {r}\n" for n, r in rows)
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main(sys.argv[1:])
