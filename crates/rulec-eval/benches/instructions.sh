#!/usr/bin/env bash
# Instructions per iteration of one divan benchmark, counted by valgrind's cachegrind: exact
# where this VM's times are not (they move between two speeds about 1.8x apart), so a change of
# a few per cent can be judged. The bench runs at two sample sizes and the difference is divided
# by the extra iterations, so loading rules and building inputs cancel out. A benchmark with
# several arguments is counted over all of them together.
#
#   crates/rulec-eval/benches/instructions.sh BENCH_BINARY 'decide::decide_allowed'
#
# BENCH_BINARY: target/release/deps/decide-* after `cargo bench -p rulec-eval --bench decide
# --no-run`. Needs valgrind (Debian: valgrind).
set -euo pipefail
bin=$1 filter=$2 small=${3:-100} large=${4:-600}
refs() {
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$bin" --bench --sample-count 1 --sample-size "$1" "$filter" 2>&1 \
    | awk '/I *refs/ { gsub(",", "", $NF); print $NF }'
}
a=$(refs "$small")
b=$(refs "$large")
echo "$filter: $(( (b - a) / (large - small) )) instructions per iteration"
