#!/usr/bin/env bash
# Fails naming file:line of every function in runtime/, charts/ and
# lua/cbal/ longer than 80 lines, from its signature to its closing brace
# or `end` (C through universal-ctags, Lua through luac5.4's listing).
# Usage: scripts/check_lengths.sh [tree] (default: this checkout);
# CBAL_MAX_LINES changes the limit.
set -euo pipefail
unset LD_PRELOAD # sanitized test runs preload ASan; ctags and luac are not ours
cd "${1:-$(dirname "$0")/..}"
max=${CBAL_MAX_LINES:-80}
case "$(ctags --version 2>/dev/null || true)" in
  *"Universal Ctags"*) ;;
  *) echo "check_lengths: needs universal-ctags (scripts/install-deps.sh)" >&2; exit 2 ;;
esac
command -v luac5.4 >/dev/null || { echo "check_lengths: needs luac5.4" >&2; exit 2; }
dirs=()
for d in runtime charts; do [ -d "$d" ] && dirs+=("$d"); done
{
  [ ${#dirs[@]} -eq 0 ] || ctags -x --sort=no --_xformat='%{input} %{line} %{end} %{name}' \
    --kinds-C=f --languages=C -R "${dirs[@]}"
  [ ! -d lua/cbal ] || find lua/cbal -name '*.lua' | LC_ALL=C sort | while read -r f; do
    luac5.4 -p -l "$f" | sed -n 's/^function <\(.*\):\([0-9]*\),\([0-9]*\)>.*/\1 \2 \3 -/p'
  done
} | LC_ALL=C sort -k1,1 -k2,2n | awk -v max="$max" '
  # a Lua function is named by the words before "function" on its first line
  function lua_name(file, line,   i, text) {
    for (i = 1; i <= line && (getline text < file) > 0; i++) {}
    close(file)
    if (match(text, /[A-Za-z_][A-Za-z0-9_.:]* *= *function/)) {
      text = substr(text, RSTART, RLENGTH)
      sub(/ *= *function$/, "", text)
      return text
    }
    if (match(text, /function +[A-Za-z_][A-Za-z0-9_.:]*/))
      return substr(text, RSTART + 9, RLENGTH - 9)
    return "function"
  }
  { n = $3 - $2 + 1 }
  n > max {
    name = $4 == "-" ? lua_name($1, $2) : $4
    gsub(/^ +| +$/, "", name)
    printf "%s:%d: %s is %d lines (at most %d)\n", $1, $2, name, n, max
    bad++
  }
  END {
    if (bad) {
      printf "check_lengths: %d function%s over %d lines: split each into named pieces\n", bad, bad == 1 ? "" : "s", max
      exit 1
    }
  }'
