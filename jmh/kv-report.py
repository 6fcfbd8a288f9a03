#!/usr/bin/env python3
"""Tables of jmh/kv-bench.sh: reads OUT/jmh.json, OUT/jmh.txt (the kv-mem lines) and the fio JSON
files, and prints markdown. Usage: kv-report.py OUT KEYS PAGE_SIZE"""
import json
import math
import os
import re
import sys

out, keys, page = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ENGINES = ["lightning", "rocksdb", "lmdb", "mvstore", "mapdb"]
LABEL = {"lightning": "Lightning DB", "rocksdb": "RocksDB", "lmdb": "LMDB", "mvstore": "MVStore", "mapdb": "MapDB"}
PKG = "io.lightningdb.jmh.kv."

# (benchmark, engine) -> (ops/s, error); single-shot loads become keys / seconds.
results = {}
with open(os.path.join(out, "jmh.json")) as f:
    for r in json.load(f):
        name = r["benchmark"][len(PKG):]
        engine = r["params"].get("engine") or r["params"].get("cachedEngine")
        m = r["primaryMetric"]
        score, err = m["score"], m["scoreError"]
        # JMH writes "NaN" (a string) when one iteration leaves no error to compute.
        err = float(err) if isinstance(err, (int, float)) and not math.isnan(err) else None
        if r["mode"] == "ss":
            ops = keys / score
            results[(name, engine)] = (ops, None if err is None else ops * err / score)
        else:
            results[(name, engine)] = (score, err)


def fmt(v):
    return "–" if v is None else f"{v:,.0f}"


def cell(name, engine):
    if (name, engine) not in results:
        return "–"
    s, e = results[(name, engine)]
    return fmt(s) if e is None else f"{fmt(s)} (± {fmt(e)})"


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def score(name, engine):
    return results.get((name, engine), (None, None))[0]


rows = [
    ("KvLoadBenchmark.loadRandom", "Load, random order (puts/s)"),
    ("KvLoadBenchmark.loadSequential", "Load, ascending order (puts/s)"),
    ("KvReadBenchmark.uniformRead_1t", "Uniform reads, 1 thread"),
    ("KvReadBenchmark.uniformRead_2t", "Uniform reads, 2 threads"),
    ("KvReadBenchmark.zipfianRead_1t", "Zipfian reads, 1 thread"),
    ("KvReadBenchmark.zipfianRead_2t", "Zipfian reads, 2 threads"),
    ("KvReadBenchmark.scan100", "Scan 100 entries from a random key (scans/s)"),
    ("KvReadBenchmark.readUpdate50", "50/50 read-update, zipfian, 1 thread"),
]
peers = [e for e in ENGINES[1:] if any((n, e) in results for n, _ in rows)]
print(f"Key-value workloads, {keys:,} keys of 16 B with 100 B values; ops/s (± 99.9% error when more than one iteration).")
print()
head = ["Workload"] + [LABEL[e] for e in ["lightning"] + peers] + [f"LDB ÷ {LABEL[p]}" for p in peers] + ["LDB ÷ best peer"]
print("| " + " | ".join(head) + " |")
print("|---|" + "---:|" * (len(head) - 1))
for name, label in rows:
    if not any((name, e) in results for e in ENGINES):
        continue
    ldb = score(name, "lightning")
    best = max(((score(name, p), p) for p in peers if score(name, p) is not None), default=(None, None))
    line = [label] + [cell(name, e) for e in ["lightning"] + peers]
    line += [ratio(ldb, score(name, p)) for p in peers]
    line.append("–" if best[0] is None else f"{ratio(ldb, best[0])} ({LABEL[best[1]]})")
    print("| " + " | ".join(line) + " |")


def fio(depth):
    iops = []
    for p in (1, 2):
        path = os.path.join(out, f"fio-depth-{depth}-{p}.json")
        if os.path.exists(path):
            with open(path) as f:
                iops.append(json.load(f)["jobs"][0]["read"]["iops"])
    return iops


small = [
    ("KvSmallCacheBenchmark.uniformRead_1t", "Uniform reads, 1 thread", 1),
    ("KvSmallCacheBenchmark.uniformRead_2t", "Uniform reads, 2 threads", 2),
    ("KvSmallCacheBenchmark.multiGet32", "multiGet of 32 keys, 1 thread, against depth 1", 1),
    ("KvSmallCacheBenchmark.multiGet32", "multiGet of 32 keys, 1 thread, against depth 32", 32),
]
if any((n, "lightning") in results for n, _, _ in small):
    print()
    print(f"Data 8x larger than the cache (cacheSize = data / 8, reads bypass the OS page cache); reads/s "
          f"beside fio `--rw=randread --bs={page} --direct=1 --ioengine=io_uring` on Lightning's own file.")
    print()
    print("| Workload | Lightning DB reads/s | RocksDB reads/s | fio depth | fio IOPS (before / after) | LDB ÷ fio mean | LDB ÷ RocksDB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, label, depth in small:
        f = fio(depth)
        mean = sum(f) / len(f) if f else None
        ldb = score(name, "lightning")
        print(f"| {label} | {cell(name, 'lightning')} | {cell(name, 'rocksdb')} | {depth} | "
              f"{' / '.join(fmt(x) for x in f) or '–'} | {ratio(ldb, mean)} | {ratio(ldb, score(name, 'rocksdb'))} |")

# kv-mem lines: one per trial of KvReadBenchmark and KvSmallCacheBenchmark, printed at teardown.
mem = []
with open(os.path.join(out, "jmh.txt")) as f:
    for line in f:
        m = re.search(r"kv-mem (.*)", line)
        if m:
            mem.append(dict(kv.split("=", 1) for kv in m.group(1).split() if "=" in kv))
if mem:
    # One row per benchmark class and engine: the store is the same in each of its trials, so the
    # worst of them (largest off-heap ratio, largest heap) stands for all.
    MB = 1 << 20
    groups = {}
    for d in mem:
        groups.setdefault((d["bench"].split(".")[0], d["engine"]), []).append(d)
    print()
    print("Memory at teardown (store open, after full GCs), worst trial per class and engine: Lightning's off-heap "
          "bytes against its cacheSize, and the Java heap before the store was opened and at teardown.")
    print()
    print("| Benchmark class | Engine | trials | data MB | cacheSize MB | off-heap MB | off-heap ÷ cacheSize "
          "| heap before → after MB | preload s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (cls, engine), ds in groups.items():
        lightning = engine == "lightning"
        worst = max(ds, key=lambda d: int(d["offHeap"]) / int(d["cacheSize"]) if lightning else 0)
        heap = max(ds, key=lambda d: int(d["heapAfterGc"]))
        preload = sorted(float(d["preloadSeconds"]) for d in ds)
        sizes = sorted({f"{int(d['dataBytes']) / MB:.1f}" for d in ds}, key=float)  # readUpdate50 grows it
        data = sizes[0] + ("" if len(sizes) == 1 else "–" + sizes[-1])
        cache = f"{int(worst['cacheSize']) / MB:.1f}" if lightning else "–"
        off = f"{int(worst['offHeap']) / MB:.1f}" if lightning else "–"
        share = f"{int(worst['offHeap']) / int(worst['cacheSize']):.2f}" if lightning else "–"
        print(f"| {cls} | {LABEL.get(engine, engine)} | {len(ds)} | {data} | {cache} | {off} "
              f"| {share} | {int(heap['heapBeforeOpen']) / MB:.1f} → {int(heap['heapAfterGc']) / MB:.1f} "
              f"| {preload[len(preload) // 2]:.2f} |")
