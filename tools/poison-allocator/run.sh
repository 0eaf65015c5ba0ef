#!/usr/bin/env bash
# Runs a command (default: the test suite) with libtorch's fresh CPU memory filled with a pattern, once with NaN
# and once with 1.0: an op that reads memory it never wrote then fails every time instead of now and then.
# Usage: tools/poison-allocator/run.sh [command...]     (needs gcc; Linux/glibc only)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${TMPDIR:-/tmp}/diffusion4j-poison"
mkdir -p "$out"
gcc -shared -fPIC -O2 -o "$out/libpoison.so" "$here/poison.c" -ldl
cmd=("$@")
if [ ${#cmd[@]} -eq 0 ]; then
  cmd=(mvn -B verify -Dsurefire.rerunFailingTestsCount=0)
fi
for value in nan 1.0; do
  echo "== POISON_FLOAT=$value: ${cmd[*]}"
  POISON_FLOAT="$value" LD_PRELOAD="$out/libpoison.so" "${cmd[@]}"
done
