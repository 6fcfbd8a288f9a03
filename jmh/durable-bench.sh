#!/usr/bin/env bash
# Durable commits of issue 4: single-key puts that return only once synced (fdatasync), Lightning DB
# SYNC and BATCH beside RocksDB (sync=true) and LMDB (synced commits) at 1-32 writer threads
# (DurableCommitBenchmark), next to fio's fdatasync-per-write IOPS on the same disk (the physical
# limit of one commit per sync), plus the time an open takes to replay 256 MiB of log after a
# SIGKILL (RecoveryTime). Prints markdown tables (also written to target/durable-bench.md) for
# docs/benchmarks.md.
#
#   jmh/durable-bench.sh                            official run (~10 minutes)
#   WARMUP_ITERS=0 ITERS=1 ITER_SECONDS=1 FIO_SECONDS=3 RECOVERY_RUNS=1 RECOVERY_MIB=16 jmh/durable-bench.sh
#                                                   smoke run (~2 minutes)
#
# Environment:
#   KEYS           keys preloaded per store (default 100000; at least 1000)
#   THREADS        writer thread counts (default "1 2 8 32"); Lightning SYNC runs at 1 thread only
#   FORKS          JMH forks (default: the annotation's 1)
#   WARMUP_ITERS   warm-up iterations (default: the annotation's 2)
#   ITERS          measured iterations (default: the annotation's 3)
#   ITER_SECONDS   seconds per iteration (default: the annotation's 3)
#   FIO_SECONDS    seconds of the fio fdatasync job (default 15)
#   RECOVERY_RUNS  crash-and-reopen runs (default 3; the median is reported)
#   RECOVERY_MIB   MiB of log the killed writer leaves (default 256)
#   JMH_ARGS       extra JMH arguments, e.g. "-prof gc"
#
# Needs fio (apt-get install fio) and a JDK >= 25 (found like ./lightning does).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
THREADS="${THREADS:-1 2 8 32}"
FIO_SECONDS="${FIO_SECONDS:-15}"
RECOVERY_RUNS="${RECOVERY_RUNS:-3}"
RECOVERY_MIB="${RECOVERY_MIB:-256}"
OUT="$ROOT/target/durable-bench"
# Every file of this run is under target/, on the project's disk: fdatasync on tmpfs costs nothing.
FIO_DIR="$OUT/fio-data"
rm -rf "$OUT"
mkdir -p "$OUT" "$FIO_DIR"

command -v fio >/dev/null || { echo "durable-bench: fio is missing: apt-get install fio" >&2; exit 2; }
command -v python3 >/dev/null || { echo "durable-bench: python3 is missing: apt-get install python3" >&2; exit 2; }
JAVA_HOME="$("$ROOT/lightning" --print-java-home)"
export JAVA_HOME
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector)

echo "== building target/benchmarks.jar" >&2
"$ROOT/lightning" build jmh >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }

echo "== fio: 4 KiB writes, fdatasync after each, ${FIO_SECONDS}s ($FIO_DIR)" >&2
fio --name=fsync --directory="$FIO_DIR" --rw=write --bs=4k --size=64m --fdatasync=1 --ioengine=sync \
    --time_based --runtime="$FIO_SECONDS" --output-format=json --output="$OUT/fio.json" >/dev/null
rm -rf "$FIO_DIR"

JMH_OPTS=(-rf json)
[ -n "${KEYS:-}" ] && JMH_OPTS+=(-p "keys=$KEYS")
[ -n "${FORKS:-}" ] && JMH_OPTS+=(-f "$FORKS")
[ -n "${WARMUP_ITERS:-}" ] && JMH_OPTS+=(-wi "$WARMUP_ITERS")
[ -n "${ITERS:-}" ] && JMH_OPTS+=(-i "$ITERS")
[ -n "${ITER_SECONDS:-}" ] && JMH_OPTS+=(-w "${ITER_SECONDS}s" -r "${ITER_SECONDS}s")
for t in $THREADS; do
  engines="lightning-batch,rocksdb-sync,lmdb-sync"
  [ "$t" = 1 ] && engines="lightning-sync,$engines"
  echo "== JMH DurableCommitBenchmark -t $t -p engine=$engines ${JMH_OPTS[*]} ${JMH_ARGS:-}" >&2
  # shellcheck disable=SC2086 # JMH_ARGS is a list of words on purpose
  "${JAVA[@]}" -jar target/benchmarks.jar 'io.lightningdb.jmh.durable.DurableCommitBenchmark' -t "$t" \
      -p "engine=$engines" "${JMH_OPTS[@]}" -rff "$OUT/jmh-t$t.json" ${JMH_ARGS:-} | tee "$OUT/jmh-t$t.txt" >&2
done

echo "== recovery: $RECOVERY_RUNS x (write ${RECOVERY_MIB} MiB of log, SIGKILL, timed open)" >&2
"${JAVA[@]}" -cp target/benchmarks.jar io.lightningdb.jmh.durable.RecoveryTime "$OUT/recovery-db" \
    "$RECOVERY_RUNS" "$RECOVERY_MIB" >"$OUT/recovery.txt" 2>"$OUT/recovery.log" \
  || { cat "$OUT/recovery.log" "$OUT/recovery.txt" >&2; exit 1; }
cat "$OUT/recovery.txt" >&2
rm -rf "$OUT/tmp" "$OUT/recovery-db"

python3 "$ROOT/jmh/durable-report.py" "$OUT" | tee "$OUT/../durable-bench.md"
