#!/usr/bin/env bash
# Runs each fuzzer once on every input kept in REGRESSIONS_DIR/<fuzzer>/ (crashes found
# before, now fixed), and on the empty input where none are kept.
# Usage: replay_regressions.sh BIN_DIR REGRESSIONS_DIR FUZZER...
set -euo pipefail
bin_dir=$1 regressions=$2
shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for fuzzer in "$@"; do
  mapfile -t inputs < <(find "$regressions/$fuzzer" -type f 2>/dev/null | sort)
  arguments=(-runs=1)
  if [[ ${#inputs[@]} -gt 0 ]]; then arguments=("${inputs[@]}"); fi
  arguments=(-malloc_limit_mb=16384 "${arguments[@]}")  # as scripts/fuzz.sh, which says why
  if ! "$bin_dir/$fuzzer" "${arguments[@]}" > "$log" 2>&1; then
    cat "$log"
    echo "$fuzzer: a kept regression input fails again"
    exit 1
  fi
  echo "$fuzzer: ${#inputs[@]} regression input(s) replayed"
done
