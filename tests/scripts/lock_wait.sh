#!/bin/sh
# lock_wait.sh — "waiting for another run" (issue 12 item 7), on SQLite:
# while another process (sqlite3 with BEGIN IMMEDIATE) holds the ledger's
# write lock for a moment,
#   1. a command on a terminal (script(1)) says once on stderr
#      "carebill: waiting for another run to finish (up to 30 s)", then
#      waits and succeeds;
#   2. a tick on a terminal, whose run takes the lock several times, says
#      it once too, and its progress line goes on after it;
#   3. the same command with stderr in a file (cron) says nothing, waits
#      and succeeds;
#   4. with the lock free, nothing is said on a terminal;
#   5. tick --quiet on a terminal says nothing (no notice, no progress
#      line), but waits for the lock all the same and succeeds.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
export CAREBILL_LIBDIR="$top" CAREBILL_RULES="$top/examples/physio"
export LC_ALL=C TZ=UTC CAREBILL_TODAY=2026-01-01
tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-lockwait.XXXXXX") || exit 1
keep=0
holder=""
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; [ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
fail() {
    keep=1
    echo "lock_wait: FAIL: $*"
    echo "lock_wait: files kept in $tmp"
    exit 1
}
command -v script >/dev/null || fail "script(1) is not installed"
db=$tmp/ledger.db
export CAREBILL_DB="$db"
notice='carebill: waiting for another run to finish (up to 30 s)'
# The terminal's text with carriage returns and line clears as new lines.
show() { tr '\r' '\n' <"$1" | sed 's/\x1b\[K//g' | grep -v '^$'; }

"$bin" init >/dev/null 2>"$tmp/init.err" || fail "init: $(cat "$tmp/init.err")"
"$bin" account add --id jan --name "Jan Jansen" --email jan@example.nl \
    --address "Dorpsstraat 1" >/dev/null || fail "account add jan"
"$bin" subscription start --account jan --type fysio-fit --from 2026-01-01 \
    >/dev/null || fail "subscription start"

# hold SECONDS: another process takes the write lock and keeps it.
hold() {
    rm -f "$tmp/holder.out"
    { echo "BEGIN IMMEDIATE;"; echo "SELECT 'locked';"; sleep "$1"; echo "ROLLBACK;"; } |
        sqlite3 "$db" >"$tmp/holder.out" 2>&1 &
    holder=$!
    n=0
    while [ $n -lt 100 ] && ! grep -q locked "$tmp/holder.out" 2>/dev/null; do
        n=$((n + 1))
        sleep 0.05
    done
    grep -q locked "$tmp/holder.out" || fail "could not take the write lock with sqlite3"
}
release() { wait "$holder" 2>/dev/null; holder=""; }

# ---- 1. a command on a terminal
hold 2
t0=$(date +%s)
script -qec "'$bin' account add --id piet --name 'Piet de Boer' --email piet@example.nl --address 'Kerkstraat 2' >/dev/null" \
    /dev/null >"$tmp/t1.txt" 2>&1
rc=$?
t1=$(date +%s)
release
[ $rc = 0 ] || fail "account add on a terminal exited $rc: $(show "$tmp/t1.txt" | head -5)"
[ "$(show "$tmp/t1.txt")" = "$notice" ] ||
    fail "account add on a terminal said: $(show "$tmp/t1.txt" | head -5)"
[ $((t1 - t0)) -ge 1 ] || fail "account add did not wait for the lock"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM accounts WHERE id = 'piet'")" = 1 ] ||
    fail "account piet was not added"

# ---- 2. a tick on a terminal: the notice once, then its progress line
hold 2
script -qec "'$bin' tick >/dev/null" /dev/null >"$tmp/t2.txt" 2>&1
rc=$?
release
[ $rc = 0 ] || fail "tick on a terminal exited $rc: $(show "$tmp/t2.txt" | head -5)"
[ "$(show "$tmp/t2.txt" | grep -c 'waiting for another run')" = 1 ] ||
    fail "tick on a terminal did not say it waited once: $(show "$tmp/t2.txt" | head -5)"
show "$tmp/t2.txt" | grep -q '^carebill tick 2026-01-01' ||
    fail "tick on a terminal has no progress line: $(show "$tmp/t2.txt" | head -5)"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM invoices")" -ge 1 ] || fail "tick billed nothing"

# ---- 3. stderr in a file: nothing said, the command waits and succeeds
hold 2
"$bin" account add --id ann --name "Ann Vos" --email ann@example.nl \
    --address "Laan 3" >/dev/null 2>"$tmp/t3.err"
rc=$?
release
[ $rc = 0 ] || fail "account add with stderr in a file exited $rc: $(head -5 "$tmp/t3.err")"
[ ! -s "$tmp/t3.err" ] || fail "account add with stderr in a file said: $(head -5 "$tmp/t3.err")"

# ---- 4. the lock free: nothing said on a terminal
script -qec "'$bin' account add --id bram --name 'Bram Smit' --email bram@example.nl --address 'Plein 4' >/dev/null" \
    /dev/null >"$tmp/t4.txt" 2>&1 || fail "account add with the lock free failed: $(show "$tmp/t4.txt" | head -5)"
[ -z "$(show "$tmp/t4.txt")" ] || fail "account add with the lock free said: $(show "$tmp/t4.txt" | head -5)"

# ---- 5. tick --quiet on a terminal: nothing said, the wait all the same
"$bin" subscription start --account piet --type fysio-fit --from 2026-01-01 \
    >/dev/null || fail "subscription start piet"
hold 2
t0=$(date +%s)
script -qec "'$bin' tick --quiet >/dev/null" /dev/null >"$tmp/t5.txt" 2>&1
rc=$?
t1=$(date +%s)
release
[ $rc = 0 ] || fail "tick --quiet on a terminal exited $rc: $(show "$tmp/t5.txt" | head -5)"
[ -z "$(show "$tmp/t5.txt")" ] ||
    fail "tick --quiet on a terminal said: $(show "$tmp/t5.txt" | head -5)"
[ $((t1 - t0)) -ge 1 ] || fail "tick --quiet did not wait for the lock"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM invoices WHERE account = 'piet'")" -ge 1 ] ||
    fail "tick --quiet did not bill piet"

echo "lock_wait: on a terminal the notice once ('$notice'), a tick once; in a file nothing; lock free nothing; tick --quiet nothing, and it waited"
