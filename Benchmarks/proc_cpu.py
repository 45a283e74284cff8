#!/usr/bin/env python3
"""CPU seconds (user + system) a process and all its descendants have used so far, reaped children included.

    proc_cpu.py PID      -> e.g. 12.34

Used by run-all's V1 to charge the server's own CPU per frame (read before and after a phase)."""
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # After the command name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return int(fields[1]), sum(int(x) for x in fields[11:15])


def main():
    root = int(sys.argv[1])
    parents, ticks = {}, {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                parents[int(name)], ticks[int(name)] = stat(int(name))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    print(f"{total / TICK:.2f}")


if __name__ == "__main__":
    main()
