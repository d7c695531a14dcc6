#!/usr/bin/env bash
# Times cislint against checkov on the same folders, in one run on the same machine.
#
#   bench/compare.sh DIR...            (e.g. ../shared/corpus/terraform ../shared/corpus/cloudformation)
#
# For each folder: the median wall time and peak RSS of RUNS runs (default 3) of
#   cislint DIR --format json                      (release build of this checkout)
#   cargo's examples/bench --parse-only DIR        (cislint's parsers alone: the floor)
#   checkov -d DIR --framework <terraform|cloudformation> --quiet --compact -o json
# and the checkov/cislint ratio. checkov is pinned (CHECKOV_VERSION, default 3.3.30) in a
# venv under BENCH_VENV (default ~/.cache/cislint-bench/venv), created on first use from PyPI.
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CHECKOV_VERSION=${CHECKOV_VERSION:-3.3.30}
BENCH_VENV=${BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/cislint-bench/venv}
[ $# -gt 0 ] || { echo "usage: bench/compare.sh DIR..." >&2; exit 2; }

cargo build --release --quiet --bin cislint --example bench || exit 2
CISLINT=$PWD/target/release/cislint
FLOOR=$PWD/target/release/examples/bench

if [ ! -x "$BENCH_VENV/bin/checkov" ] && [ -z "${SKIP_CHECKOV:-}" ]; then
  echo "creating $BENCH_VENV with checkov==$CHECKOV_VERSION" >&2
  python3 -m venv "$BENCH_VENV" && "$BENCH_VENV/bin/pip" install --quiet "checkov==$CHECKOV_VERSION" \
    || { echo "could not install checkov; set SKIP_CHECKOV=1 to time cislint alone" >&2; exit 2; }
fi

# median_of CMD...: prints "median_seconds peak_rss_mb" over RUNS runs (exit 0/1 are normal).
median_of() {
  local walls=() rss=0 i t0 t1 r
  for i in $(seq 1 "$RUNS"); do
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o /tmp/cislint-bench-rss "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')")
    r=$(tail -n 1 /tmp/cislint-bench-rss); case "$r" in ''|*[!0-9]*) r=0 ;; esac
    [ "$r" -gt "$rss" ] && rss=$r
  done
  printf '%s\n' "${walls[@]}" | sort -g | awk -v r="$rss" '{ v[NR] = $1 } END { printf "%s %.1f\n", v[int((NR + 1) / 2)], r / 1024 }'
}

printf '%-28s %6s %12s %12s %14s %9s %10s\n' corpus files "cislint (s)" "floor (s)" "checkov (s)" ratio "RSS (MB)"
for dir in "$@"; do
  name=$(basename "$dir")
  framework=terraform
  [ -n "$(find "$dir" -name '*.tf' -print -quit)" ] || framework=cloudformation
  files=$(find "$dir" -type f \( -name '*.tf' -o -name '*.tf.json' -o -name '*.json' -o -name '*.yaml' -o -name '*.yml' -o -name '*.template' \) | wc -l)
  read -r c_wall c_rss < <(median_of "$CISLINT" "$dir" --format json)
  floor=$("$FLOOR" --parse-only --runs "$RUNS" "$dir" | sed -n 's/.*median \([0-9.]*\) s.*/\1/p')
  if [ -z "${SKIP_CHECKOV:-}" ]; then
    read -r k_wall _ < <(median_of "$BENCH_VENV/bin/checkov" -d "$dir" --framework "$framework" --quiet --compact -o json --skip-download)
    ratio=$(awk -v k="$k_wall" -v c="$c_wall" 'BEGIN { printf "%.0fx", k / c }')
  else
    k_wall=-; ratio=-
  fi
  printf '%-28s %6s %12s %12s %14s %9s %10s\n' "$name" "$files" "$c_wall" "$floor" "$k_wall" "$ratio" "$c_rss"
done
