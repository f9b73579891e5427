#!/usr/bin/env bash
# Load test of `rulec serve` with the clients in another process (wrk): decisions per second,
# p50 and p99 of POST /v1/decide at 1, 4, 16 and 64 keep-alive clients, and the server's own
# CPU time per decision (user + system, from /proc), which, unlike the rate, does not depend on
# what else the machine is running. Only 127.0.0.1 is addressed. Figures: docs/performance.md.
#
#   cargo build --release -p rulec && crates/rulec-serve/benches/wrk/load.sh [RULEC_BINARY]
#
# RULEC_LOAD_SECONDS (default 5) per level, RULEC_LOAD_PORT (default 18080), RULEC_BODY (a file
# whose first line is the scenario; default the tour's first batch scenario).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
binary=${1:-${CARGO_TARGET_DIR:-target}/release/rulec}
seconds=${RULEC_LOAD_SECONDS:-5}
port=${RULEC_LOAD_PORT:-18080}
url=http://127.0.0.1:$port/v1/decide
command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
ticks=$(getconf CLK_TCK)

"$binary" serve --isolated --rules rules --addr "127.0.0.1:$port" --max-in-flight 1024 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }

echo "rulec serve, POST /v1/decide, wrk over loopback ($(nproc) cores, ${seconds} s a level, load average $(cut -d' ' -f1 /proc/loadavg) before)"
printf '%8s %12s %9s %9s %16s %7s\n' clients decisions/s "p50 ms" "p99 ms" "server CPU us/dec" errors
# A short warm-up, then each level.
wrk -t1 -c4 -d1s -s crates/rulec-serve/benches/wrk/decide.lua "$url" >/dev/null
for clients in 1 4 16 64; do
  threads=$(( clients < 2 ? 1 : 2 ))
  before=$(cpu)
  read -r _ rate p50 p99 errors non2xx requests < <(wrk -t$threads -c$clients -d${seconds}s -s crates/rulec-serve/benches/wrk/decide.lua "$url" | grep '^summary')
  after=$(cpu)
  per=$(awk -v t=$((after - before)) -v hz="$ticks" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  printf '%8s %12s %9s %9s %16s %7s\n' "$clients" "$rate" "$p50" "$p99" "$per" "$((errors + non2xx))"
done
