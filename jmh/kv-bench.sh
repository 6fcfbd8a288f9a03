#!/usr/bin/env bash
# Key-value workloads of issue 3, Lightning DB beside RocksDB, LMDB, H2 MVStore and MapDB, in one
# JMH run (KvLoadBenchmark, KvReadBenchmark, KvSmallCacheBenchmark), plus fio on Lightning's own
# database file at the queue depths of the small-cache reads. Prints markdown tables of ops/s and
# ratios (also written to target/kv-bench.md) for docs/benchmarks.md.
#
#   jmh/kv-bench.sh                                  official run: 1,000,000 keys (~40-60 minutes)
#   KEYS=50000 FORKS=1 WARMUP_ITERS=1 ITERS=1 ITER_SECONDS=1 FIO_SECONDS=3 jmh/kv-bench.sh
#                                                    smoke run (~4 minutes)
#
# Environment:
#   KEYS           keys per store (default 1000000; at least 1000)
#   FORKS          JMH forks per benchmark (default: the annotations' 1)
#   WARMUP_ITERS   warm-up iterations (default: 2; 1 single-shot load for KvLoadBenchmark)
#   ITERS          measured iterations (default: 5; 3 single-shot loads for KvLoadBenchmark)
#   ITER_SECONDS   seconds per timed iteration (default: 3; loads are single shots regardless)
#   FIO_SECONDS    seconds per fio job (default 15), run before and after JMH
#   ENGINES        comma list for KvLoad/KvRead (default: all five)
#   BENCH          JMH include regex (default: all three kv classes)
#   JMH_ARGS       extra JMH arguments, e.g. "-prof gc"
#
# Needs fio (apt-get install fio) and a JDK >= 25 (found like ./lightning does).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
KEYS="${KEYS:-1000000}"
FIO_SECONDS="${FIO_SECONDS:-15}"
BENCH="${BENCH:-io.lightningdb.jmh.kv.Kv(Load|Read|SmallCache)Benchmark}"
OUT="$ROOT/target/kv-bench"
FIO_DIR="$OUT/fio-data"
# Stores of the benchmarks (Fixture.BASE): under target/, on the project's disk, never tmpfs.
rm -rf "$OUT/tmp" "$FIO_DIR"
mkdir -p "$OUT"

command -v fio >/dev/null || { echo "kv-bench: fio is missing: apt-get install fio" >&2; exit 2; }
command -v python3 >/dev/null || { echo "kv-bench: python3 is missing: apt-get install python3" >&2; exit 2; }
JAVA_HOME="$("$ROOT/lightning" --print-java-home)"
export JAVA_HOME
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector)

echo "== building target/benchmarks.jar" >&2
"$ROOT/lightning" build jmh >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }

echo "== building Lightning's database with $KEYS keys for fio ($FIO_DIR)" >&2
"${JAVA[@]}" -cp target/benchmarks.jar io.lightningdb.jmh.kv.KvFioFile "$FIO_DIR" "$KEYS" >"$OUT/fio-file.txt"
FIO_FILE="$(sed -n 's/^file=\([^ ]*\) .*/\1/p' "$OUT/fio-file.txt")"
PAGE="$(sed -n 's/.* pageSize=\([0-9]*\).*/\1/p' "$OUT/fio-file.txt")"
[ -f "$FIO_FILE" ] && [ -n "$PAGE" ] || { echo "kv-bench: KvFioFile said: $(cat "$OUT/fio-file.txt")" >&2; exit 1; }

# Depth 1 and 2: what one and two threads of synchronous point reads keep in flight; 32: what a
# multiGet of 32 keys could keep in flight if it submitted its reads together.
fio_pass() {
  local pass=$1 depth
  for depth in 1 2 32; do
    echo "== fio randread bs=$PAGE depth $depth (pass $pass)" >&2
    fio --name="depth-$depth" --filename="$FIO_FILE" --readonly --rw=randread --bs="$PAGE" --direct=1 \
        --ioengine=io_uring --iodepth="$depth" --norandommap --randrepeat=0 \
        --time_based --ramp_time=2 --runtime="$FIO_SECONDS" \
        --output-format=json --output="$OUT/fio-depth-$depth-$pass.json" >/dev/null
  done
}
fio_pass 1

JMH_OPTS=(-p "keys=$KEYS" -rf json -rff "$OUT/jmh.json")
[ -n "${ENGINES:-}" ] && JMH_OPTS+=(-p "engine=$ENGINES")
[ -n "${FORKS:-}" ] && JMH_OPTS+=(-f "$FORKS")
[ -n "${WARMUP_ITERS:-}" ] && JMH_OPTS+=(-wi "$WARMUP_ITERS")
[ -n "${ITERS:-}" ] && JMH_OPTS+=(-i "$ITERS")
[ -n "${ITER_SECONDS:-}" ] && JMH_OPTS+=(-w "${ITER_SECONDS}s" -r "${ITER_SECONDS}s")
echo "== JMH $BENCH ${JMH_OPTS[*]} ${JMH_ARGS:-}" >&2
# shellcheck disable=SC2086 # JMH_ARGS is a list of words on purpose
"${JAVA[@]}" -jar target/benchmarks.jar "$BENCH" "${JMH_OPTS[@]}" ${JMH_ARGS:-} | tee "$OUT/jmh.txt" >&2
fio_pass 2
rm -rf "$FIO_DIR" "$OUT/tmp"

python3 "$ROOT/jmh/kv-report.py" "$OUT" "$KEYS" "$PAGE" | tee "$OUT/../kv-bench.md"
