#!/usr/bin/env python3
"""Markdown tables of jmh/durable-bench.sh: durable commits per engine and thread count next to
fio's fdatasync IOPS, the goal ratios, and recovery time.

    python3 jmh/durable-report.py target/durable-bench
"""
import glob
import json
import os
import re
import sys

NAMES = {
    "lightning-sync": "Lightning SYNC",
    "lightning-batch": "Lightning BATCH",
    "rocksdb-sync": "RocksDB sync=true",
    "lmdb-sync": "LMDB synced commits",
}
TO_US = {"us/op": 1.0, "ms/op": 1000.0, "ns/op": 0.001, "s/op": 1e6}


def load_jmh(out):
    """(engine, threads) -> commits/s, p50 us, p99 us, samples."""
    rows = {}
    for path in sorted(glob.glob(os.path.join(out, "jmh-t*.json"))):
        with open(path) as f:
            for r in json.load(f):
                m = r["primaryMetric"]
                scale = TO_US[m["scoreUnit"]]
                mean_us = m["score"] * scale
                t = r["threads"]
                pct = m["scorePercentiles"]
                rows[(r["params"]["engine"], t)] = {
                    # Closed loop, every thread always in a put: throughput = threads / mean latency.
                    "cps": t * 1e6 / mean_us,
                    "p50": pct["50.0"] * scale,
                    "p99": pct["99.0"] * scale,
                    "mean": mean_us,
                }
    return rows


def load_fio(out):
    with open(os.path.join(out, "fio.json")) as f:
        job = json.load(f)["jobs"][0]
    sync = job["sync"]["lat_ns"]
    write = job["write"]["lat_ns"]
    return {
        "iops": job["write"]["iops"],
        "sync_p50": sync["percentile"]["50.000000"] / 1000,
        "sync_p99": sync["percentile"]["99.000000"] / 1000,
        "write_mean": write["mean"] / 1000,
    }


def load_recovery(out):
    runs, median = [], None
    with open(os.path.join(out, "recovery.txt")) as f:
        for line in f:
            fields = dict(re.findall(r"(\w+)=(\S+)", line))
            if line.startswith("recovery run="):
                runs.append(fields)
            elif line.startswith("recovery median"):
                median = fields
    return runs, median


def us(v):
    return f"{v / 1000:,.2f} ms" if v >= 10000 else f"{v:,.0f} µs"


def main():
    out = sys.argv[1]
    rows = load_jmh(out)
    fio = load_fio(out)
    threads = sorted({t for _, t in rows})
    print("### Durable commits: puts/s and latency per put\n")
    print(f"fio, 4 KiB write + fdatasync per write, one job: **{fio['iops']:,.0f} syncs/s** "
          f"(fdatasync p50 {us(fio['sync_p50'])}, p99 {us(fio['sync_p99'])}): the most commits per "
          "second a store can make that syncs once per commit; above it only group commit.\n")
    print("| engine | threads | commits/s | × fio IOPS | p50 | p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    for engine in NAMES:
        for t in threads:
            r = rows.get((engine, t))
            if r:
                print(f"| {NAMES[engine]} | {t} | {r['cps']:,.0f} | {r['cps'] / fio['iops']:.2f} | "
                      f"{us(r['p50'])} | {us(r['p99'])} |")
    print("\n### Goal ratios\n")
    print("| ratio | value | goal |")
    print("|---|---:|---|")
    sync1 = rows.get(("lightning-sync", 1))
    batch_max = max((t for e, t in rows if e == "lightning-batch"), default=None)
    if sync1 and batch_max:
        v = rows[("lightning-batch", batch_max)]["cps"] / sync1["cps"]
        print(f"| Lightning BATCH {batch_max}t / Lightning SYNC 1t | {v:.2f}x | ≥ 5x: "
              f"{'met' if v >= 5 else 'missed'} |")
    for t in threads:
        b, r = rows.get(("lightning-batch", t)), rows.get(("rocksdb-sync", t))
        if b and r:
            v = b["cps"] / r["cps"]
            print(f"| Lightning BATCH / RocksDB sync, {t}t | {v:.2f}x | > 1x: {'met' if v > 1 else 'missed'} |")
    for t in threads:
        b, l = rows.get(("lightning-batch", t)), rows.get(("lmdb-sync", t))
        if b and l:
            print(f"| Lightning BATCH / LMDB synced, {t}t | {b['cps'] / l['cps']:.2f}x | (no goal) |")

    runs, median = load_recovery(out)
    if median:
        print("\n### Recovery after SIGKILL\n")
        print("| run | log replayed | records | replay | whole open (replay + checkpoint) | replay MiB/s |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in runs:
            mib = int(r["bytes"]) / (1 << 20)
            print(f"| {r['run']} | {mib:,.1f} MiB | {int(r['records']):,} | {int(r['replayMillis']):,} ms | "
                  f"{float(r['openMillis']):,.0f} ms | {mib / (int(r['replayMillis']) / 1000):,.0f} |")
        mib = int(median["bytes"]) / (1 << 20)
        print(f"| **median** (by open time) | {mib:,.1f} MiB | {int(median['records']):,} | "
              f"{int(median['replayMillis']):,} ms | **{float(median['openMillis']):,.0f} ms** | "
              f"{mib / (int(median['replayMillis']) / 1000):,.0f} |")


if __name__ == "__main__":
    main()
