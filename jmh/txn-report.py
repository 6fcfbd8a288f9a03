#!/usr/bin/env python3
"""Tables of jmh/txn-bench.sh: reads OUT/jmh.json and the txn-check lines of OUT/jmh.txt, prints
markdown: read-modify-write transactions/s per engine with Lightning's ratios to each peer, the
conflict and retry rates, and the read-only transaction read cost against a plain get.

    python3 jmh/txn-report.py target/txn-bench
"""
import json
import math
import os
import re
import sys

PKG = "io.lightningdb.jmh.txn."
ENGINES = ["lightning", "lightning-serializable", "lightning-pessimistic", "rocksdb", "lmdb"]
LABEL = {"lightning": "Lightning DB", "lightning-serializable": "Lightning SERIALIZABLE",
         "lightning-pessimistic": "Lightning pessimistic (getForUpdate)",
         "rocksdb": "RocksDB optimistic", "lmdb": "LMDB"}
PEERS = ["rocksdb", "lmdb"]


def error(m):
    err = m["scoreError"]
    # JMH writes "NaN" (a string) when one iteration leaves no error to compute.
    return float(err) if isinstance(err, (int, float)) and not math.isnan(err) else None


def fmt(v):
    return "–" if v is None else f"{v:,.0f}"


def cell(r):
    if r is None:
        return "–"
    return fmt(r["score"]) if r["error"] is None else f"{fmt(r['score'])} (± {fmt(r['error'])})"


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def main():
    out = sys.argv[1]
    rmw, reads, keys = {}, {}, None
    with open(os.path.join(out, "jmh.json")) as f:
        for r in json.load(f):
            cls, method = r["benchmark"][len(PKG):].split(".")
            m = r["primaryMetric"]
            row = {"score": m["score"], "error": error(m),
                   "sec": {k: v["score"] for k, v in r.get("secondaryMetrics", {}).items()}}
            keys = int(r["params"]["keys"])
            if cls == "TxnRmwBenchmark":
                rmw[(r["params"]["dist"], method, r["params"]["engine"])] = row
            elif cls == "TxnReadBenchmark":
                reads[method] = row

    if rmw:
        engines = [e for e in ENGINES if any(k[2] == e for k in rmw)]
        peers = [p for p in PEERS if p in engines]
        cases = [(d, m) for d in ("uniform", "zipfian") for m in ("transfer_1t", "transfer_2t")
                 if any(k[:2] == (d, m) for k in rmw)]
        print(f"### Read-modify-write transactions: committed transactions/s\n")
        print(f"Transfer between two of {keys:,} accounts (read both, write both, commit; 16 B keys, 100 B values), "
              "a refused commit retried at once; no engine syncs a commit (Lightning ASYNC, RocksDB WAL sync=false, "
              "LMDB NOSYNC). ± is the 99.9% error when more than one iteration ran.\n")
        head = ["Keys, threads"] + [LABEL[e] for e in engines] + [f"LDB ÷ {LABEL[p]}" for p in peers]
        if peers:
            head.append("ahead of both")
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for d, m in cases:
            ldb = rmw.get((d, m, "lightning"))
            line = [f"{d}, {m[-2]} thread{'s' if m[-2] != '1' else ''}"]
            line += [cell(rmw.get((d, m, e))) for e in engines]
            scores = {e: rmw[(d, m, e)]["score"] for e in engines if (d, m, e) in rmw}
            line += [ratio(scores.get("lightning"), scores.get(p)) for p in peers]
            if peers:
                ok = ldb is not None and all(p in scores and scores["lightning"] > scores[p] for p in peers)
                line.append("yes" if ok else "no")
            print("| " + " | ".join(line) + " |")

        print("\n### Conflicts and retries per 1,000 committed transactions\n")
        print("conflicts: commits refused (each one retried); retried: committed transactions that needed more than "
              "one attempt. LMDB runs one writer at a time and never refuses a commit.\n")
        head = ["Keys, threads"] + [f"{LABEL[e]} conflicts / retried" for e in engines]
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for d, m in cases:
            line = [f"{d}, {m[-2]} thread{'s' if m[-2] != '1' else ''}"]
            for e in engines:
                r = rmw.get((d, m, e))
                if r is None or not r["score"]:
                    line.append("–")
                    continue
                c = 1000 * r["sec"].get("conflicts", 0) / r["score"]
                t = 1000 * r["sec"].get("retried", 0) / r["score"]
                line.append(f"{c:.2f} / {t:.2f}")
            print("| " + " | ".join(line) + " |")

    if reads:
        print("\n### Point read in a read-only transaction against a plain get (Lightning DB)\n")
        print(f"Uniformly random present keys of {keys:,}, the same sequence in every row; reads/s, and the cost "
              "of one read against `db.get` (plain reads/s ÷ these reads/s; goal for `tx.get`: at most 1.10).\n")
        print("| Read | threads | reads/s | ÷ plain get | cost ÷ plain get | goal ≤ 1.10 |")
        print("|---|---:|---:|---:|---:|---|")
        names = [("plainGet", "`db.get`"), ("readOnlyTxGet", "`tx.get` on an open `beginReadOnly()`"),
                 ("readOnlyTxBeginGetClose", "`beginReadOnly()`, `tx.get`, `close()`")]
        for t in ("1", "2"):
            plain = reads.get(f"plainGet_{t}t")
            for name, label in names:
                r = reads.get(f"{name}_{t}t")
                if r is None:
                    continue
                cost = None if plain is None or not r["score"] else plain["score"] / r["score"]
                goal = ("met" if cost <= 1.10 else "missed") if name == "readOnlyTxGet" and cost is not None else ""
                print(f"| {label} | {t} | {cell(r)} | {ratio(r['score'], plain and plain['score'])} | "
                      f"{'–' if cost is None else f'{cost:.3f}'} | {goal} |")

    checks = []
    with open(os.path.join(out, "jmh.txt")) as f:
        for line in f:
            m = re.search(r"txn-check (.*)", line)
            if m:
                checks.append(dict(re.findall(r"(\w+)=(\S+)", m.group(1))))
    if checks:
        commits = sum(int(c["commits"]) for c in checks)
        bad = [c for c in checks if c["balanceSum"] != "0"]
        print(f"\nChecked after each of {len(checks)} read-modify-write trials: every account present with its own "
              f"value, balances adding up to 0 after {commits:,} committed transfers in all"
              f"{'' if not bad else f' — FAILED in {len(bad)} trials'}"
              f"{'; Lightning’s stats().transactions() agreed with the commits and conflicts counted' if any('statsCommits' in c for c in checks) else ''}.")


if __name__ == "__main__":
    main()
