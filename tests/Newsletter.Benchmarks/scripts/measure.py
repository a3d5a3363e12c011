"""Runs one command and writes what it cost to a JSON file: wall seconds, CPU seconds, peak RSS.

Usage: python3 measure.py OUT.json COMMAND [ARGS...]

Why a wrapper: .NET reaps its child processes itself, so the harness cannot call wait4() and read
the child's rusage. Here RUSAGE_CHILDREN covers exactly the one command (and any workers it waited
for), whatever language it is written in, so every client in the table is measured the same way.
ru_maxrss is the peak of the largest single process, in KiB on Linux.
"""
import json
import resource
import subprocess
import sys
import time

out, command = sys.argv[1], sys.argv[2:]
start = time.monotonic()
code = subprocess.call(command)
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w", encoding="utf-8") as f:
    json.dump({
        "exitCode": code,
        "wallSeconds": wall,
        "cpuSeconds": usage.ru_utime + usage.ru_stime,
        "peakRssBytes": usage.ru_maxrss * 1024,
    }, f)
sys.exit(code)
