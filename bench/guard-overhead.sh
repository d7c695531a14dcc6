#!/usr/bin/env bash
# Overhead of Guard rules: cislint on one folder without --rules, then with 1, 5 and 20 of
# the representative rules files in bench/guard-rules/ (registry-style CloudFormation rules).
#
#   bench/guard-overhead.sh [DIR]      (default ../shared/corpus/cloudformation)
#
# Prints the median wall time of RUNS runs (default 5) of the release build for each, and the
# added time per rules file.
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
DIR=${1:-../shared/corpus/cloudformation}
cargo build --release --quiet --bin cislint || exit 2
CISLINT=$PWD/target/release/cislint
mapfile -t ALL < <(ls bench/guard-rules/*.guard | sort)

# median CMD...: median wall seconds over RUNS runs (exit 0/1 are normal).
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    [ $? -le 1 ] || { echo "failed: $*" >&2; return 1; }
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

[ -d "$DIR" ] || { echo "no such folder: $DIR" >&2; exit 2; }
base=$(median "$CISLINT" --format json "$DIR") || exit 2
printf '%-10s %8s %12s\n' "rules" "seconds" "per file"
printf '%-10s %8.3f %12s\n' "none" "$base" "-"
for n in 1 5 20; do
  args=()
  for f in "${ALL[@]:0:$n}"; do args+=(--rules "$f"); done
  t=$(median "$CISLINT" --format json "${args[@]}" "$DIR") || exit 2
  printf '%-10s %8.3f %12.3f\n' "$n file(s)" "$t" "$(echo "($t - $base) / $n" | bc -l)"
done
