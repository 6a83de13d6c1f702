#!/usr/bin/env bash
# Installs the Debian 12 packages kerascpp builds, tests and benchmarks with.
# Idempotent and fast when everything is present: apt is only called for what is missing.
# libdnnl-dev only recommends ocl-icd-opencl-dev, but its CMake config requires OpenCL; and
# libzip-dev's CMake config checks that the zipcmp, zipmerge and ziptool programs exist.
# Usage: scripts/install-deps.sh [--bench | --ci]
#   --bench adds PyTorch and tcmalloc for bench/; --ci adds clang 14 with libFuzzer and the
#   sanitizer runtimes (libclang-rt-14-dev) and llvm-symbolizer (llvm-14) for scripts/fuzz.sh.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config clang-format-14
  libdnnl-dev ocl-icd-opencl-dev libhdf5-dev libzip-dev zipcmp zipmerge ziptool
  nlohmann-json3-dev libfmt-dev libcli11-dev libpng-dev zlib1g-dev libdeflate-dev
  libgtest-dev libgmock-dev libbenchmark-dev graphviz
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3 python3-torch python3-numpy libtcmalloc-minimal4)
elif [[ "${1:-}" == "--ci" ]]; then
  packages+=(clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
