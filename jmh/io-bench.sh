#!/usr/bin/env bash
# 4 KiB random reads with O_DIRECT from a 1 GiB file: Lightning DB's I/O backends (JMH) and fio
# with the same parameters, on the same file, in one run. Prints a markdown table of IOPS and
# ratios (also written to target/io-bench.md) for docs/benchmarks.md.
#
#   jmh/io-bench.sh                 full run (~5 minutes)
#   FIO_SECONDS=5 JMH_ITER_SECONDS=1 jmh/io-bench.sh   quick smoke run
#
# Needs fio (apt-get install fio) and a JDK >= 25 (found like ./lightning does).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FILE="${BENCH_FILE:-$ROOT/target/bench/randread-1g.dat}"
FIO_SECONDS="${FIO_SECONDS:-15}"
JMH_ITER_SECONDS="${JMH_ITER_SECONDS:-3}"
OUT="$ROOT/target/io-bench"
mkdir -p "$OUT" "$(dirname "$FILE")"

command -v fio >/dev/null || { echo "io-bench: fio is missing: apt-get install fio" >&2; exit 2; }
JAVA_HOME="$("$ROOT/lightning" --print-java-home)"
export JAVA_HOME

echo "== building target/benchmarks.jar" >&2
"$ROOT/lightning" build jmh >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }

echo "== laying out $FILE (1 GiB)" >&2
if [ ! -f "$FILE" ] || [ "$(stat -c %s "$FILE")" != $((1 << 30)) ]; then
  fio --name=layout --filename="$FILE" --size=1G --rw=write --bs=1M --direct=1 --ioengine=psync >/dev/null
fi

run_fio() { # pass name engine depth [extra fio args]
  local pass=$1 name=$2 engine=$3 depth=$4; shift 4
  echo "== fio $name (pass $pass)" >&2
  fio --name="$name" --filename="$FILE" --size=1G --rw=randread --bs=4k --direct=1 \
      --ioengine="$engine" --iodepth="$depth" --norandommap --randrepeat=0 \
      --time_based --ramp_time=2 --runtime="$FIO_SECONDS" "$@" \
      --output-format=json --output="$OUT/fio-$name-$pass.json" >/dev/null
}
# fio runs before and after JMH: this disk's speed drifts over minutes, and the mean of the two
# passes brackets the JMH run in time.
fio_pass() {
  run_fio "$1" psync-1 psync 1
  run_fio "$1" io_uring-1 io_uring 1
  run_fio "$1" io_uring-32 io_uring 32
  run_fio "$1" io_uring-32-fixedbufs io_uring 32 --fixedbufs
}
fio_pass 1

echo "== JMH RandomReadBenchmark" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -jar target/benchmarks.jar RandomReadBenchmark \
  -jvmArgsAppend "-Dlightning.bench.file=$FILE" \
  -w "${JMH_ITER_SECONDS}s" -r "${JMH_ITER_SECONDS}s" \
  -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt" >&2
fio_pass 2

python3 - "$OUT" <<'PY' | tee "$OUT/../io-bench.md"
import json, sys, os
out = sys.argv[1]
def fio(name):
    passes = []
    for p in (1, 2):
        with open(os.path.join(out, f"fio-{name}-{p}.json")) as f:
            passes.append(json.load(f)["jobs"][0]["read"]["iops"])
    return passes
jmh = {}
with open(os.path.join(out, "jmh.json")) as f:
    for r in json.load(f):
        m = r["secondaryMetrics"]["reads"]
        jmh[r["params"]["config"]] = (m["score"], m["scoreError"])
rows = [
    ("CHANNEL-1", "FileChannel, depth 1", "psync-1", "fio psync, depth 1"),
    ("POSIX-1", "pread (FFM), depth 1", "psync-1", "fio psync, depth 1"),
    ("URING-1", "io_uring, depth 1", "io_uring-1", "fio io_uring, depth 1"),
    ("URING-32-nofixed", "io_uring, depth 32", "io_uring-32", "fio io_uring, depth 32"),
    ("URING-32", "io_uring, depth 32, registered buffers", "io_uring-32-fixedbufs", "fio io_uring, depth 32, --fixedbufs"),
]
print("| Lightning DB backend | IOPS (± 99.9% err) | fio reference | fio IOPS (before / after) | ratio to fio mean |")
print("|---|---:|---|---:|---:|")
for key, label, fname, flabel in rows:
    if key not in jmh:
        continue
    s, e = jmh[key]
    f1, f2 = fio(fname)
    f = (f1 + f2) / 2
    print(f"| {label} | {s:,.0f} (± {e:,.0f}) | {flabel} | {f1:,.0f} / {f2:,.0f} | {s / f:.2f}x |")
PY
