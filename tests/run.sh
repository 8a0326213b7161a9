#!/usr/bin/env bash
# Runs every test group (C units, Lua specs, CLI specs) and ends with one line
# "N passed, N failed"; exits non-zero when anything failed or did not run.
# BUILD names the build folder (build, or build-asan for sanitizer runs).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export CBAL_BUILD=$BUILD CBAL_QUIET=${CBAL_QUIET:-1}
export LUA_PATH="lua/?.lua;lua/?/init.lua;tests/lua/?.lua;;"
export LUA_CPATH="$BUILD/lib/?.so;;"
passed=0 failed=0 broken=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# Sanitized runs load the module into stock lua5.4, so the runtimes are
# preloaded. Leak detection is on; tests/lsan.supp names the only libraries
# whose process-lifetime caches are let go (fontconfig, pango). Commands the
# specs run (bash, python3, iconv, ...) do without the preload (testutil.sh
# drops it; CBAL_ASAN_PRELOAD puts it back for a stock lua5.4), so leaks are
# looked for in cbal's code, not in those tools.
runner=(lua5.4)
if [ -n "${CBAL_SANITIZE:-}" ]; then
  export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
  export CBAL_ASAN_PRELOAD="$LD_PRELOAD"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  if "$t" >"$log/$name" 2>&1; then rc=0; else rc=$?; fi
  p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log/$name" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '^\[  FAILED  \] [0-9]+ test' "$log/$name" | awk '{s+=$4} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then broken=$((broken + 1)); failed=$((failed + 1)); fi
  if [ "$rc" -ne 0 ]; then echo "--- $name (exit $rc)"; cat "$log/$name"; else echo "C   $name: $p passed"; fi
done

for spec_dir in tests/lua tests/cli; do
  ls "$spec_dir"/*_spec.lua >/dev/null 2>&1 || continue
  out="$log/$(basename "$spec_dir").txt"
  if "${runner[@]}" /usr/bin/busted --helper=tests/lua/helper.lua -o utfTerminal "$spec_dir" >"$out" 2>&1; then rc=0; else rc=$?; fi
  line=$(grep -Eo '[0-9]+ successes? / [0-9]+ failures? / [0-9]+ errors?' "$out" | tail -1)
  if [ -z "$line" ]; then
    echo "--- $spec_dir: busted did not report (exit $rc)"; cat "$out"
    failed=$((failed + 1)); continue
  fi
  s=$(echo "$line" | awk '{print $1}'); f=$(echo "$line" | awk '{print $4}'); e=$(echo "$line" | awk '{print $7}')
  passed=$((passed + s)); failed=$((failed + f + e))
  if [ $((f + e)) -gt 0 ] || [ "$rc" -ne 0 ]; then cat "$out"; [ $((f + e)) -gt 0 ] || failed=$((failed + 1)); fi
  echo "Lua $spec_dir: $line"
done

# No function over 80 lines in runtime/, charts/, lua/cbal/ (one check;
# ctags and sort run without the sanitizers' preload, which breaks them).
if lengths=$(env -u LD_PRELOAD bash scripts/check_lengths.sh 2>&1); then
  passed=$((passed + 1)); echo "Len scripts/check_lengths.sh: every function within 80 lines"
else
  failed=$((failed + 1)); echo "--- scripts/check_lengths.sh"; echo "$lengths"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
