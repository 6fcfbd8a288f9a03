#!/usr/bin/env bash
# Transactions of issue 5, in one JMH run: small read-modify-write transactions (read 2 accounts,
# write both) with uniform and zipfian keys at 1 and 2 threads, Lightning DB (SNAPSHOT, SERIALIZABLE
# and pessimistic key locks with getForUpdate) beside RocksDB's OptimisticTransactionDB and LMDB write transactions, with conflict
# and retry rates (TxnRmwBenchmark); and a point read inside a read-only transaction against a plain
# get (TxnReadBenchmark). Prints markdown tables of absolute figures and ratios (also written to
# target/txn-bench.md) for docs/benchmarks.md. Every trial checks its store afterwards (all accounts
# there, balances still adding up to 0, Lightning's transaction stats agreeing); a failed check
# stops the run (JMH -foe).
#
#   jmh/txn-bench.sh                                 official run: 100,000 accounts, 26 trials (~30 minutes)
#   KEYS=20000 WARMUP_ITERS=1 ITERS=1 ITER_SECONDS=2 jmh/txn-bench.sh
#                                                    smoke run (~3-4 minutes; figures not meaningful)
#
# Environment:
#   KEYS           accounts per store (default: the annotation's 100000; at least 1000)
#   FORKS          JMH forks per benchmark (default: the annotation's 1)
#   WARMUP_ITERS   warm-up iterations (default: the annotation's 3)
#   ITERS          measured iterations (default: the annotation's 5)
#   ITER_SECONDS   seconds per iteration, warm-up and measured (default: the annotation's 3)
#   ENGINES        comma list for TxnRmwBenchmark (default: lightning,lightning-serializable,lightning-pessimistic,rocksdb,lmdb)
#   DISTS          comma list of key distributions (default: uniform,zipfian)
#   BENCH          JMH include regex (default: both Txn classes)
#   JMH_ARGS       extra JMH arguments, e.g. "-prof gc"
#
# Needs python3 and a JDK >= 25 (found like ./lightning does).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="${BENCH:-io.lightningdb.jmh.txn.Txn(Rmw|Read)Benchmark}"
OUT="$ROOT/target/txn-bench"
# Stores of the benchmarks (Accounts.BASE): under target/, on the project's disk, never tmpfs.
rm -rf "$OUT"
mkdir -p "$OUT"

command -v python3 >/dev/null || { echo "txn-bench: python3 is missing: apt-get install python3" >&2; exit 2; }
JAVA_HOME="$("$ROOT/lightning" --print-java-home)"
export JAVA_HOME
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector)

echo "== building target/benchmarks.jar" >&2
"$ROOT/lightning" build jmh >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }

JMH_OPTS=(-foe true -rf json -rff "$OUT/jmh.json")
[ -n "${KEYS:-}" ] && JMH_OPTS+=(-p "keys=$KEYS")
[ -n "${ENGINES:-}" ] && JMH_OPTS+=(-p "engine=$ENGINES")
[ -n "${DISTS:-}" ] && JMH_OPTS+=(-p "dist=$DISTS")
[ -n "${FORKS:-}" ] && JMH_OPTS+=(-f "$FORKS")
[ -n "${WARMUP_ITERS:-}" ] && JMH_OPTS+=(-wi "$WARMUP_ITERS")
[ -n "${ITERS:-}" ] && JMH_OPTS+=(-i "$ITERS")
[ -n "${ITER_SECONDS:-}" ] && JMH_OPTS+=(-w "${ITER_SECONDS}s" -r "${ITER_SECONDS}s")
echo "== JMH $BENCH ${JMH_OPTS[*]} ${JMH_ARGS:-}" >&2
# shellcheck disable=SC2086 # JMH_ARGS is a list of words on purpose
"${JAVA[@]}" -jar target/benchmarks.jar "$BENCH" "${JMH_OPTS[@]}" ${JMH_ARGS:-} \
  | tee "$OUT/jmh.txt" >&2
rm -rf "$OUT/tmp"

python3 "$ROOT/jmh/txn-report.py" "$OUT" | tee "$OUT/../txn-bench.md"
