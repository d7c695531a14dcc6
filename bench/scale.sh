#!/usr/bin/env bash
# Linear growth: times cislint on DIR and on a synthetic corpus ten times larger (DIR copied
# into ten distinct directories), and prints both and the ratios (targets: wall <= 11x,
# peak RSS <= 3x).
#
#   bench/scale.sh DIR            (e.g. ../shared/corpus/terraform; RUNS=3 by default)
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
[ $# -eq 1 ] || { echo "usage: bench/scale.sh DIR" >&2; exit 2; }
cargo build --release --quiet --bin cislint || exit 2
CISLINT=$PWD/target/release/cislint
big=$(mktemp -d)
trap 'rm -rf "$big"' EXIT
for i in $(seq 0 9); do cp -r "$1" "$big/copy$i"; done

# median_of DIR: "median_seconds peak_rss_mb" over RUNS runs.
median_of() {
  local walls=() rss=0 t0 t1 r
  for _ in $(seq 1 "$RUNS"); do
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o /tmp/cislint-scale-rss "$CISLINT" -q "$1" >/dev/null 2>&1
    t1=$(date +%s%N)
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    r=$(tail -n 1 /tmp/cislint-scale-rss); [ "$r" -gt "$rss" ] && rss=$r
  done
  printf '%s\n' "${walls[@]}" | sort -g | awk -v r="$rss" '{ v[NR] = $1 } END { printf "%s %.1f\n", v[int((NR + 1) / 2)], r / 1024 }'
}
read -r w1 m1 < <(median_of "$1")
read -r w10 m10 < <(median_of "$big")
printf '%-10s %10s %10s\n' corpus "wall (s)" "RSS (MB)"
printf '%-10s %10s %10s\n' 1x "$w1" "$m1" 10x "$w10" "$m10"
awk -v a="$w1" -v b="$w10" -v c="$m1" -v d="$m10" 'BEGIN { printf "ratio      %9.1fx %9.1fx\n", b / a, d / c }'
