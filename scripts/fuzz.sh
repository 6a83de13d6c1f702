#!/usr/bin/env bash
# Builds the libFuzzer targets in build-sanitize/ (clang, ASan + UBSan; see
# configure-sanitize.sh), replays the kept regression inputs, then fuzzes each loader for
# SECONDS (default 60) from a seed corpus of the model and array files in ../shared, as many
# at once as there are cores. Any crash, sanitizer report, leak, timeout or out-of-memory
# fails the script; its input is copied to fuzz/regressions/<fuzzer>/.
# Usage: scripts/fuzz.sh [SECONDS [FUZZER...]]
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
fuzzers=("$@")
[[ ${#fuzzers[@]} -gt 0 ]] || fuzzers=(fuzz_keras_archive fuzz_legacy_h5 fuzz_tfjs_model fuzz_npy)
shared=$(cd .. && pwd)/shared
build=build-sanitize

scripts/install-deps.sh --ci
scripts/configure-sanitize.sh
cmake --build "$build" --target fuzz_keras_archive fuzz_legacy_h5 fuzz_tfjs_model fuzz_npy
export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/fuzz/lsan.supp
# As glibc does, a malloc beyond ASan's 1 TiB limit returns null (HDF5 asks for what damaged
# files claim, and handles null) instead of aborting.
export ASAN_OPTIONS=allocator_may_return_null=1
ctest --test-dir "$build" --output-on-failure --no-tests=error -R fuzz_regressions

# Seeds: copies (libFuzzer adds to its corpus folder, and ../shared is read-only).
seed() {  # seed FUZZER FILE...
  local corpus=$build/corpus/$1 file
  shift
  [[ -d $corpus ]] || return 0  # a fuzzer not asked for
  for file in "$@"; do cp "$file" "$corpus/$(echo "${file#"$shared"/}" | tr / _)"; done
}
# A TF.js seed is model.json, a NUL, then the shard its weightsManifest names (see
# fuzz/fuzz_tfjs_model.cpp).
seed_tfjs() {  # seed_tfjs MODEL_JSON...
  local json shard target
  [[ -d $build/corpus/fuzz_tfjs_model ]] || return 0  # not asked for
  for json in "$@"; do
    target=$build/corpus/fuzz_tfjs_model/$(echo "${json#"$shared"/}" | tr / _)
    shard=$(tr -d ' \n' < "$json" | grep -o '"paths":\["[^"]*"' | head -n 1 | cut -d'"' -f4 || true)
    cp "$json" "$target"
    if [[ -n "$shard" && -f "$(dirname "$json")/$shard" ]]; then
      { printf '\0'; cat "$(dirname "$json")/$shard"; } >> "$target"
    fi
  done
}
rm -rf "$build/corpus" "$build/artifacts"
for fuzzer in "${fuzzers[@]}"; do
  mkdir -p "$build/corpus/$fuzzer" "$build/artifacts/$fuzzer"
  # Kept crash inputs run first, as part of the corpus, besides the ctest replay above.
  if [[ -d fuzz/regressions/$fuzzer ]]; then seed "$fuzzer" fuzz/regressions/"$fuzzer"/*; fi
done
models=$shared/data/keras-models
seed fuzz_keras_archive "$models"/*/*.keras
seed fuzz_legacy_h5 "$models"/*/*.h5
seed_tfjs "$models"/*/model.json "$shared"/golden/*/model.json
seed fuzz_npy "$shared"/golden/*/*.npy "$models"/*/*.npy

# -malloc_limit_mb: HDF5's H5Fopen allocates the object-header size a damaged file claims (up
# to 4 GiB) before it finds the file too short and fails; the memory is never touched (the
# RSS limit still holds), so only single allocations above 16 GiB count as failures.
run_fuzzer() {  # run_fuzzer FUZZER: its log goes to $build/FUZZER.log, its exit status to .status
  local status=0
  "$build/bin/$1" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=16384 -timeout=10 \
    -max_len=2097152 -print_final_stats=1 -artifact_prefix="$build/artifacts/$1/" \
    "$build/corpus/$1" > "$build/$1.log" 2>&1 || status=$?
  echo "$status" > "$build/$1.status"
}
started=()
for fuzzer in "${fuzzers[@]}"; do
  [[ -d $build/corpus/$fuzzer ]] || continue
  while (( $(jobs -rp | wc -l) >= $(nproc) )); do wait -n || true; done
  echo "== $fuzzer: ${seconds}s from $(find "$build/corpus/$fuzzer" -type f | wc -l) seed(s)"
  run_fuzzer "$fuzzer" &
  started+=("$fuzzer")
done
wait

status=0
for fuzzer in "${started[@]}"; do
  if [[ $(cat "$build/$fuzzer.status") != 0 ]]; then
    tail -n 80 "$build/$fuzzer.log"
    mkdir -p "fuzz/regressions/$fuzzer"
    cp "$build/artifacts/$fuzzer"/* "fuzz/regressions/$fuzzer/" 2>/dev/null || true
    echo "FUZZ FAILURE in $fuzzer: its input is now in fuzz/regressions/$fuzzer/;" \
         "fix the bug, then commit that file as a regression test."
    status=1
  fi
  echo "== $fuzzer: $(grep -E '^stat::number_of_executed_units' "$build/$fuzzer.log" || echo 'no stats')," \
       "corpus $(find "$build/corpus/$fuzzer" -type f | wc -l) input(s)"
done
exit $status
