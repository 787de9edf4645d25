#!/bin/sh
# layers_selftest.sh — the layer test can fail: tests/scripts/layers.sh run on
# tests/fixtures/layers/bad/engine must report each planted violation (a
# decision including a store header and a header without its layer, a face
# including the ledger, two use cases including each other, a face calling
# ledger_stmt, SQLite in a use case) and fail under each strict switch and
# by default, pass with both off; on tests/fixtures/layers/good/engine it
# must pass strict.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
check=tests/scripts/layers.sh
bad=tests/fixtures/layers/bad/engine
good=tests/fixtures/layers/good/engine
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0
no() { echo "layers_selftest: $*"; fail=1; }

# run STRICT STRICT_SQL ROOT: the checker's exit code; its output in $out
run() {
    LAYERS_STRICT=$1 LAYERS_STRICT_SQL=$2 sh "$check" "$3" >"$out" 2>&1
}

run 1 1 "$bad"; rc=$?
[ $rc -eq 1 ] || no "strict run on $bad exited $rc, expected 1"
while IFS= read -r want; do
    grep -Fqx -- "$want" "$out" || no "missing from the report: $want"
done <<EOF
$bad/decide/plan.c:3: layer decide may not include layer store (store/plans.h)
$bad/decide/plan.c:4: include "util.h" does not name its layer (write "layer/file.h")
$bad/face/report.c:3: layer face may not include layer ledger (ledger/ledger.h)
cycle: usecase/issue -> usecase/tick -> usecase/issue
$bad/face/report.c:6: SQL outside store/ and ledger/: ledger_stmt()
$bad/usecase/issue.c:2: sqlite3 outside ledger/sqlite*.c
layers: $bad: 3 include violations, 1 cycle, 2 SQL placement violations (strict includes/cycles on, SQL on)
EOF
n=$(wc -l <"$out")
[ "$n" -eq 7 ] || { no "expected 7 lines of report, got $n:"; cat "$out"; }

run 1 0 "$bad"; rc=$?
[ $rc -eq 1 ] || no "LAYERS_STRICT=1 alone on $bad exited $rc, expected 1"
# Includes and cycles are strict by default (as tests/run runs it).
(unset LAYERS_STRICT LAYERS_STRICT_SQL; sh "$check" "$bad" >"$out" 2>&1); rc=$?
[ $rc -eq 1 ] || no "default run on $bad exited $rc, expected 1"
# Only SQL is wrong once the includes and the cycle are out of the way.
tmp=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$tmp"' EXIT
cp -R "$bad" "$tmp/engine"
rm "$tmp/engine/decide/plan.c" "$tmp/engine/usecase/tick.c"
sed -i '/ledger\/ledger.h/d' "$tmp/engine/face/report.c"
run 1 0 "$tmp/engine"; rc=$?
[ $rc -eq 0 ] || { no "SQL violations alone failed with LAYERS_STRICT_SQL=0 (exit $rc)"; cat "$out"; }
run 1 1 "$tmp/engine"; rc=$?
[ $rc -eq 1 ] || { no "SQL violations alone passed with LAYERS_STRICT_SQL=1"; cat "$out"; }

run 0 0 "$bad"; rc=$?
[ $rc -eq 0 ] || no "warn-only run on $bad exited $rc, expected 0"
grep -Fq "cycle: usecase/issue" "$out" || no "warn-only run does not report the cycle"

run 1 1 "$good"; rc=$?
[ $rc -eq 0 ] || { no "strict run on $good exited $rc, expected 0:"; cat "$out"; }
[ "$(cat "$out")" = "layers: $good: 0 include violations, 0 cycles, 0 SQL placement violations (strict includes/cycles on, SQL on)" ] ||
    { no "unexpected report on $good:"; cat "$out"; }

[ $fail -eq 0 ] && echo "layers_selftest: the checker fails on every planted violation and passes the good tree"
exit $fail
