"""Runs a command and prints its wall seconds and peak resident memory as the last line of stdout.

    python bench/peak_rss.py COMMAND [ARGS...]

The last line is one JSON object, {"wall_s": ..., "peak_rss_bytes": ...}. The peak is
getrusage(RUSAGE_CHILDREN).ru_maxrss of the one child this runner waits for: /proc loses a
process's VmHWM when it ends, and /usr/bin/time is not on every machine. ru_maxrss is in kB
on Linux, where the benchmark runs. The command's own output passes through; a command that
fails fails the runner with its exit status.
"""

import json
import resource
import subprocess
import sys
import time


def main():
    start = time.perf_counter()
    code = subprocess.call(sys.argv[1:])
    wall = time.perf_counter() - start
    if code:
        sys.exit(code)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"wall_s": wall, "peak_rss_bytes": peak}), flush=True)


if __name__ == "__main__":
    main()
