#!/usr/bin/env bash
# Formats every C++ file with the project's clang-format; `--check` only reports.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find include src tests examples bench tools fuzz -name '*.h' -o -name '*.cpp' 2>/dev/null | sort)
if [[ "${1:-}" == "--check" ]]; then
  clang-format-14 --dry-run --Werror "${files[@]}"
else
  clang-format-14 -i "${files[@]}"
fi
