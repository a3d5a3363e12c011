"""Python's standard smtplib: WORKERS processes, each with one SMTP connection, sending the .eml.

Usage: python3 smtplib_workers.py HOST PORT WORKERS TOTAL EML FROM TO
Prints one JSON line: {"mails": N, "seconds": S}, the time from the first connect to the last QUIT.

Processes, not threads: the GIL would let only one thread parse replies at a time, so threads would
measure the interpreter lock rather than smtplib.
"""
import json
import multiprocessing
import smtplib
import sys
import time


def worker(host, port, count, data, sender, recipient, results):
    start = time.monotonic()  # CLOCK_MONOTONIC: comparable across processes on Linux
    with smtplib.SMTP(host, port) as smtp:
        for _ in range(count):
            smtp.sendmail(sender, [recipient], data)
    results.put((start, time.monotonic(), count))


def main():
    host, port, workers, total, eml, sender, recipient = sys.argv[1:8]
    port, workers, total = int(port), int(workers), int(total)
    with open(eml, "rb") as f:
        data = f.read()  # CRLF already: smtplib sends bytes as they are, only dot-stuffed
    results = multiprocessing.Queue()
    shares = [total // workers + (1 if i < total % workers else 0) for i in range(workers)]
    processes = [multiprocessing.Process(target=worker, args=(host, port, n, data, sender, recipient, results))
                 for n in shares]
    for p in processes:
        p.start()
    done = [results.get() for _ in processes]
    for p in processes:
        p.join()
    if any(p.exitcode != 0 for p in processes):
        sys.exit("a worker failed")
    start = min(d[0] for d in done)
    end = max(d[1] for d in done)
    print(json.dumps({"mails": sum(d[2] for d in done), "seconds": end - start}))


if __name__ == "__main__":
    main()
