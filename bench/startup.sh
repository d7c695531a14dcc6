#!/usr/bin/env bash
# Start-up: wall time of cislint on one small file, median and minimum of RUNS runs
# (default 50; target under 10 ms).
#
#   bench/startup.sh [FILE]       (default testdata/examples/main.tf)
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-50}
file=${1:-testdata/examples/main.tf}
cargo build --release --quiet --bin cislint || exit 2
for _ in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  target/release/cislint "$file" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
done | sort -n | awk '{ v[NR] = $1 } END { printf "%s: median %.1f ms, min %.1f ms over %d runs\n", FILENAME == "-" ? "" : "", v[int((NR + 1) / 2)] / 1000, v[1] / 1000, NR }' | sed "s|^: |$file: |"
