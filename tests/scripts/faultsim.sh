#!/bin/sh
# faultsim.sh — out-of-memory and I/O errors never crash carebill or
# half-write its ledger, in the manner of SQLite's do_faultsim_test. For
# each of six commands with real work to do (tick, payment register,
# bank import, invoice product, outbox send against tests/smtpd.py on
# loopback, and `report outbox` making the e-mails a tick left to be made
# into outbox rows) a ledger is built and dumped, the command is run once cleanly,
# then for N = 1, 2, 3 ... it is run on a fresh copy with the N-th call of
# one fault point failing (CAREBILL_FAULT=KIND:N, base/faultsim.h): KIND
# malloc (SQLite's allocator), io (SQLite's VFS) and lua (the Lua
# allocator), each persistent (every call from the N-th on fails) and
# once (only the N-th). Every run must either
#   - exit 0 with the ledger the clean run wrote (runs.started_at, a
#     datetime('now'), masked), or
#   - exit non-zero with a message on stderr and the ledger's dump
#     byte-identical to before. `outbox send` commits per message on
#     purpose (claimed, 'sending' when handed to the server, then its
#     outcome): there every other table must be as before and each
#     message as before (claimed or not), 'sending' with one more
#     attempt, or as the clean run left it (see outbox_state).
# A signal or timeout, a sanitizer report, a refusal without a message or
# any other ledger is a failure naming the command, the fault and N. A
# loop ends at the first N the run no longer reaches. One known finding
# is counted apart (see outbox_state): an outbox message failed for good
# by a transient read fault.
#
# In `make test` a sample runs (N = 1..20, then a stride of at least 7
# that keeps each loop to about FAULTSIM_SAMPLE (10) more points); the
# full loops: `make faultsim` (FAULTSIM_FULL=1). The binary is
# FAULTSIM_BIN, else $CAREBILL when it is a fault-injection build, else
# $B/faultsim/carebill, built here. FAULTSIM_CMDS, FAULTSIM_KINDS,
# FAULTSIM_MODES and FAULTSIM_JOBS (parallel runs) narrow or widen it;
# KEEP=1 keeps the work directory.
set -u
top=$(pwd)
B=${B:-build}
full=${FAULTSIM_FULL:-0}
cmds=${FAULTSIM_CMDS:-tick payment bank invoice outbox made}
kinds=${FAULTSIM_KINDS:-malloc io lua}
modes=${FAULTSIM_MODES:-persistent once}
jobs=${FAULTSIM_JOBS:-$(nproc 2>/dev/null || echo 2)}
sample=${FAULTSIM_SAMPLE:-10}
strict=${FAULTSIM_STRICT:-0}
export LC_ALL=C TZ=UTC CAREBILL_LIBDIR=$top
unset CAREBILL_DB CAREBILL_RULES CAREBILL_TODAY CAREBILL_FAULT

say() { echo "faultsim: $*"; }

# ---- the fault-injection binary
is_faultsim() {
    [ -x "$1" ] && CAREBILL_FAULT=count "$1" --help 2>&1 >/dev/null |
        grep -q '^carebill faultsim: calls'
}
bin=${FAULTSIM_BIN:-}
if [ -z "$bin" ] && is_faultsim "${CAREBILL:-}"; then
    bin=$CAREBILL
fi
if [ -z "$bin" ]; then
    # A build of our own beside $B's, so concurrent suites do not share it.
    bin=$top/$B/faultsim/carebill
    unset MAKEFLAGS MFLAGS MAKELEVEL
    mkdir -p "$top/$B"
    make -s -j"$jobs" B="$B/faultsim" "$B/faultsim/carebill" >"$top/$B/faultsim.log" 2>&1 ||
        { tail -20 "$top/$B/faultsim.log"; say "cannot build $bin"; exit 1; }
fi
is_faultsim "$bin" || { say "$bin is not a fault-injection build"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/carebill-faultsim.XXXXXX") || exit 1
# A copy of its own, so a rebuild during the loops cannot touch it.
cp "$bin" "$work/carebill" || exit 1
bin=$work/carebill
keep=${KEEP:-0}
. "$top/tests/smtp_server"
cleanup() {
    smtp_stop
    [ "$keep" = 1 ] && say "work directory kept: $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the loopback SMTP server (as mail.sh starts it)
start_smtpd() {
    if ! smtp_start "$work/mail"; then
        say "smtpd did not start"
        exit 1
    fi
    PORT=$SMTP_PORT
}

# ---- the ledgers: build_CMD DIR makes DIR/base.db, runner_CMD prints
# the script that runs the command on the ledger given as its argument.
cb() { "$bin" "$@"; }
physio() {
    export CAREBILL_RULES=$top/examples/physio CAREBILL_DB=$1/base.db
    export CAREBILL_TODAY=2026-01-01
    cb init >/dev/null && PATH="${bin%/*}:$PATH" sh "$top/examples/physio/setup.sh" >/dev/null
}
# runner RULES TODAY ARGS...: a script running carebill ARGS on ledger $1.
runner() {
    rules=$1 today=$2
    shift 2
    printf 'CAREBILL_RULES=%s CAREBILL_TODAY=%s CAREBILL_SMTP_HOST=127.0.0.1 CAREBILL_SMTP_PORT=%s exec %s --db "$1"' \
        "$rules" "$today" "${PORT:-1}" "$bin"
    printf ' "%s"' "$@"
    echo
}

build_tick() { physio "$1"; }
runner_tick() { runner "$top/examples/physio" 2026-02-10 tick --as-of 2026-02-10; }

build_invoice() { physio "$1" && CAREBILL_TODAY=2026-02-10 cb tick --quiet; }
runner_invoice() {
    runner "$top/examples/physio" 2026-02-12 invoice product --account jan --line trk10
}

# A product invoice whose payment in full grants its credits.
build_payment() {
    build_invoice "$1" && CAREBILL_TODAY=2026-02-12 cb invoice product \
        --account jan --line trk10 >"$1/number"
}
runner_payment() {
    number=$(head -1 "$work/payment/number")
    runner "$top/examples/physio" 2026-02-20 payment register "$number" \
        --amount 425.00 --on 2026-02-20
}

# The direct-debit case (tests/e2e/direct-debit) up to its bank import.
build_bank() {
    export CAREBILL_RULES=$top/tests/fixtures/basic CAREBILL_DB=$1/base.db
    export CAREBILL_TODAY=2026-01-27
    cb init >/dev/null &&
    cb account add --id zoe --name "Zoë Müller-Lefèvre" --email zoe@example.nl \
        --iban NL91ABNA0417164300 --mandate M-ZOE-1 --mandate-date 2025-12-01 >/dev/null &&
    cb account add --id bram --name "Bram Smit" --email bram@example.nl \
        --iban BE68539007547034 --mandate M-BRAM-1 --mandate-date 2025-11-15 >/dev/null &&
    cb account add --id piet --name "Piet de Boer" --email piet@example.nl >/dev/null &&
    cb subscription start --account zoe --type monthly --from 2026-02-01 --direct-debit >/dev/null &&
    cb subscription start --account bram --type monthly --from 2026-02-01 --direct-debit >/dev/null &&
    cb subscription start --account piet --type massage --from 2026-02-01 >/dev/null &&
    cb tick --as-of 2026-01-27 --quiet &&
    cb sepa export --out "$1/batch1.xml" >/dev/null &&
    CAREBILL_TODAY=2026-02-01 cb tick --as-of 2026-02-01 --quiet
}
runner_bank() {
    runner "$top/tests/fixtures/basic" 2026-02-20 bank import \
        "$top/tests/e2e/direct-debit/statement.xml"
}

# The invoice e-mails of the physio practice's first tick, due now, made
# into rows (made below fails making them).
build_outbox() {
    build_invoice "$1" && CAREBILL_TODAY=2026-02-10 cb outbox list >/dev/null
}
runner_outbox() { runner "$top/examples/physio" 2026-02-10 outbox send; }

# The same e-mails made into rows by the first look at the outbox.
build_made() { build_invoice "$1"; }
runner_made() { runner "$top/examples/physio" 2026-02-10 report outbox; }

# dump DB OUT: the ledger as SQL with what differs between two equal runs
# masked (runs.started_at, a datetime('now'); the loopback server's queue
# id in outbox.last_reply; a sender's "PID:START" claim token in
# outbox.claimed_by); fails when the ledger does not pass its integrity
# check.
dump() {
    sqlite3 "$1" 'PRAGMA integrity_check' .dump >"$2.raw" 2>&1 &&
        [ "$(head -1 "$2.raw")" = ok ] &&
        sed -E -e "/^INSERT INTO runs /s/'[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'/'(now)'/" \
            -e "/^INSERT INTO outbox /s/ queued as [0-9]+'/ queued as (id)'/g" \
            -e "/^INSERT INTO outbox /s/,'[0-9]+:[0-9]+'\);\$/,'(token)');/" \
            "$2.raw" >"$2" && rm -f "$2.raw"
}

# counts FILE KIND: the calls of KIND in a run's faultsim line.
counts() {
    sed -n "s/^carebill faultsim: calls.* $2=\([0-9]*\).*/\1/p" "$1" | tail -1
}

# same A B COL...: SQL that rows A and B of outbox agree on every column
# but the ones named.
same() {
    a=$1 b=$2
    shift 2
    for col in $outbox_cols; do
        case " $* " in *" $col "*) continue ;; esac
        printf '%s.%s IS %s.%s AND ' "$a" "$col" "$b" "$col"
    done
    echo 1
}

# outbox_state DB DIR: after a refused `outbox send`, "ok" when every
# table but outbox is as before and every message is as before (claimed
# or not: claimed_by), handed over ('sending', one more attempt), or as
# the clean run left it; "known" when besides those some messages are
# failed with "not sent: ..." (below); "bad" otherwise. The known case: a
# message whose invoice or account could not be read back for its PDF (a
# read error outside any transaction, in usecase/deliver.c's compose,
# reported by store/invoices.c as "no invoice with id N" or "no account")
# is failed for good, as if the message itself were bad, instead of
# waiting for a retry; the reason is only in the ledger, not on stderr.
# It is counted apart until compose tells a read error from a bad message
# (FAULTSIM_STRICT=1 counts it as a difference).
outbox_state() {
    grep -v '^INSERT INTO outbox ' "$2/dump" >"$2/rest.sql"
    grep -v '^INSERT INTO outbox ' "$work/outbox/before.sql" | cmp -s - "$2/rest.sql" ||
        { echo bad; return; }
    sqlite3 -cmd '.timeout 10000' "$1" "ATTACH '$work/outbox/ref-before.db' AS b;
        ATTACH '$work/outbox/ref-clean.db' AS c;
        SELECT CASE
          WHEN (SELECT count(*) FROM main.outbox) <> (SELECT count(*) FROM b.outbox) THEN 'bad'
          WHEN EXISTS (SELECT 1 FROM main.outbox r LEFT JOIN b.outbox o ON o.id = r.id
                LEFT JOIN c.outbox n ON n.id = r.id WHERE NOT (
                  ($(same r o claimed_by)) OR
                  ($(same r o status attempts claimed_by) AND r.status = 'sending'
                      AND r.attempts = o.attempts + 1) OR
                  ($(same r n last_reply) AND (r.last_reply IS n.last_reply OR
                      (r.last_reply LIKE '250 %' AND n.last_reply LIKE '250 %'))) OR
                  ($(same r o status attempts last_reply claimed_by) AND r.status = 'failed'
                      AND r.last_reply LIKE 'not sent: %' AND '$strict' <> '1')))
            THEN 'bad'
          WHEN EXISTS (SELECT 1 FROM main.outbox r JOIN b.outbox o ON o.id = r.id
                WHERE r.status = 'failed' AND o.status <> 'failed' AND r.last_reply LIKE 'not sent: %')
            THEN 'known'
          ELSE 'ok' END" 2>&1
}

# point CMD SPEC DIR: one run on a fresh copy; writes DIR/verdict as
# "notreached", "completed", "refused", "known" or "FAIL: why".
point() {
    c=$1 spec=$2 d=$3
    mkdir -p "$d"
    cp "$work/$c/base.db" "$d/ledger.db"
    CAREBILL_FAULT=$spec timeout 60 sh "$work/$c/run.sh" "$d/ledger.db" \
        >"$d/out" 2>"$d/err" </dev/null
    rc=$?
    printf '%s %s exit %s: %s\n' "$c" "$spec" "$rc" \
        "$(grep -v '^carebill faultsim:' "$d/err" | head -1)" >>"$work/messages.log"
    v=""
    if [ $rc -ge 128 ]; then
        v="FAIL: killed by signal $((rc - 128))"
    elif [ $rc = 124 ]; then
        v="FAIL: timeout (60 s)"
    elif [ $rc -gt 124 ]; then
        v="FAIL: exit $rc (could not run)"
    elif grep -q 'Sanitizer\|runtime error:' "$d/err"; then
        v="FAIL: sanitizer report"
    elif ! dump "$d/ledger.db" "$d/dump"; then
        v="FAIL: exit $rc and the ledger does not pass its integrity check"
    elif [ $rc = 0 ]; then
        if cmp -s "$d/dump" "$work/$c/clean.sql"; then
            v=completed
        else
            v="FAIL: exit 0 but the ledger differs from the clean run's"
        fi
    elif [ "$c" = outbox ]; then
        st=$(outbox_state "$d/ledger.db" "$d")
        echo "$st" >"$d/state"
        msg=$(grep -v '^carebill faultsim:' "$d/err" | grep -c .)
        if [ "$st" = known ]; then
            v=known
            sqlite3 "$d/ledger.db" "SELECT last_reply FROM outbox WHERE last_reply LIKE 'not sent: %'" |
                sed "s/^/$spec: /" >>"$work/known.log"
        elif [ "$st" != ok ]; then
            v="FAIL: exit $rc and the outbox or another table is in no state a send leaves"
        elif [ "$msg" = 0 ]; then
            v="FAIL: exit $rc without a message on stderr"
        else
            v=refused
        fi
    elif ! grep -v '^carebill faultsim:' "$d/err" | grep -q .; then
        v="FAIL: exit $rc without a message on stderr"
    elif cmp -s "$d/dump" "$work/$c/before.sql"; then
        v=refused
    else
        v="FAIL: exit $rc and the ledger changed"
    fi
    if [ "${v#FAIL}" = "$v" ] && grep -q '^carebill faultsim:.* not reached' "$d/err"; then
        v=notreached
    fi
    echo "$v" >"$d/verdict"
    case $v in FAIL*) ;; *) rm -f "$d/ledger.db"* "$d/dump" ;; esac
}

# ---- per command: the ledger, the clean run, then the loops
total=0 ndiff=0 ncrash=0 nknown=0 outbox_cols=""
PORT=""
for c in $cmds; do
    [ "$c" = outbox ] && [ -z "$PORT" ] && start_smtpd
    mkdir -p "$work/$c"
    (build_$c "$work/$c") >"$work/$c/build.log" 2>&1 ||
        { cat "$work/$c/build.log"; say "$c: cannot build its ledger"; exit 1; }
    sqlite3 "$work/$c/base.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
    rm -f "$work/$c/base.db-wal" "$work/$c/base.db-shm"
    runner_$c >"$work/$c/run.sh"
    dump "$work/$c/base.db" "$work/$c/before.sql" || { say "$c: cannot dump"; exit 1; }
    # The clean run: what every completed run must have written.
    cp "$work/$c/base.db" "$work/$c/clean.db"
    CAREBILL_FAULT=count sh "$work/$c/run.sh" "$work/$c/clean.db" \
        >"$work/$c/clean.out" 2>"$work/$c/clean.err" </dev/null
    crc=$?
    [ $crc = 0 ] || { cat "$work/$c/clean.err"; say "$c: clean run failed (exit $crc)"; exit 1; }
    dump "$work/$c/clean.db" "$work/$c/clean.sql" || { say "$c: cannot dump the clean run"; exit 1; }
    cmp -s "$work/$c/clean.sql" "$work/$c/before.sql" && { say "$c: the clean run changed nothing"; exit 1; }
    if [ "$c" = outbox ]; then
        # Copies without WAL for outbox_state, so parallel readers never
        # meet each other's recovery of the shared-memory index.
        for ref in before:base clean:clean; do
            sqlite3 "$work/$c/${ref#*:}.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
            cp "$work/$c/${ref#*:}.db" "$work/$c/ref-${ref%:*}.db"
            sqlite3 "$work/$c/ref-${ref%:*}.db" 'PRAGMA journal_mode = DELETE' >/dev/null
        done
        outbox_cols=$(sqlite3 "$work/$c/base.db" "SELECT name FROM pragma_table_info('outbox')")
        n_mail=$(ls "$work/mail" | grep -c '\.eml$')
        [ "$n_mail" -gt 0 ] || { say "outbox: the clean run delivered nothing"; exit 1; }
    fi
    for k in $kinds; do
        calls=$(counts "$work/$c/clean.err" "$k")
        calls=${calls:-0}
        for m in $modes; do
            suffix=""; [ "$m" = once ] && suffix=":once"
            stride=1
            if [ "$full" != 1 ]; then
                stride=$(( (calls - 20 + sample - 1) / sample ))
                [ $stride -lt 7 ] && stride=7
            fi
            n=0 tried=0 done_=0 refused=0 known=0 diffs=0 crashes=0 stop=0
            while [ $stop = 0 ]; do
                # The next batch of N, run in parallel.
                batch=""
                j=0
                while [ $j -lt "$jobs" ]; do
                    if [ $n -lt 20 ]; then n=$((n + 1)); else n=$((n + stride)); fi
                    batch="$batch $n"
                    j=$((j + 1))
                done
                # (Waiting for these runs only: smtpd runs in the
                # background too.)
                pids=""
                for N in $batch; do
                    point "$c" "$k:$N$suffix" "$work/$c/$k$suffix/$N" &
                    pids="$pids $!"
                done
                for p in $pids; do wait "$p"; done
                for N in $batch; do
                    d=$work/$c/$k$suffix/$N
                    v=$(cat "$d/verdict")
                    case $v in
                    notreached) stop=1; rm -rf "$d"; continue ;;
                    completed) done_=$((done_ + 1)); rm -rf "$d" ;;
                    refused) refused=$((refused + 1)); rm -rf "$d" ;;
                    known) known=$((known + 1)); rm -rf "$d" ;;
                    FAIL*)
                        keep=1
                        case $v in *signal*|*sanitizer*|*timeout*|*"could not"*) crashes=$((crashes + 1)) ;; *) diffs=$((diffs + 1)) ;; esac
                        say "FAIL: $c, $k:$N$suffix: ${v#FAIL: }"
                        grep -v '^carebill faultsim:' "$d/err" | head -3 | sed 's/^/    /'
                        grep '^carebill faultsim:' "$d/err" | sed 's/^/    /'
                        ;;
                    esac
                    tried=$((tried + 1))
                done
                # Past the clean run's count the fault can no longer fire.
                [ $n -gt $((calls * 2 + 100)) ] && stop=1
            done
            kn=""
            [ $known -gt 0 ] && kn=", $known messages failed for good by a read fault (known)"
            say "$c $k $m: $tried points, $done_ completed, $refused refused cleanly$kn, $diffs differences, $crashes crashes"
            total=$((total + tried))
            nknown=$((nknown + known))
            ndiff=$((ndiff + diffs))
            ncrash=$((ncrash + crashes))
        done
    done
    rm -f "$work/mail"/* 2>/dev/null
done

kn=""
[ $nknown -gt 0 ] && kn=" ($nknown known: outbox messages failed by a read fault)"
say "$total points, $ndiff ledger differences, $ncrash crashes$kn"
[ $ndiff = 0 ] && [ $ncrash = 0 ]
