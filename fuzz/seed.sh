#!/usr/bin/env bash
# Adds the repository's rule files and scenarios to the fuzz corpora, as the targets read them:
# for parse_check and fmt_round_trip a first byte picks where the file sits (0 a state file,
# 1 a federal file, 2 a policy), the text follows. The committed corpora are minimized to small
# inputs (see docs/reliability.md); run this before a long campaign to start from whole files.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/parse_check fuzz/corpus/fmt_round_trip fuzz/corpus/scenario_load
n=0
while IFS= read -r -d '' f; do
  case "$f" in
    *.policy) b='\x02' ;;
    */federal/*) b='\x01' ;;
    *) b='\x00' ;;
  esac
  n=$((n + 1))
  for t in parse_check fmt_round_trip; do
    { printf "$b"; cat "$f"; } > "fuzz/corpus/$t/seed-$n"
  done
done < <(find rules crates -path '*/target' -prune -o \( -name '*.rules' -o -name '*.policy' \) -print0)
m=0
while IFS= read -r -d '' f; do
  m=$((m + 1))
  cp "$f" "fuzz/corpus/scenario_load/seed-$m"
done < <(find tests/scenarios examples crates/rulec/tests/fixtures \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0)
echo "seeded $n rule files and $m scenarios"
