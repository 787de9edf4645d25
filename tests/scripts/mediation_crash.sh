#!/bin/sh
# mediation_crash.sh — SIGKILL during a mediation agency's `carebill tick`
# loses nothing and doubles nothing, as crash.sh shows for subscriptions.
# An agency of MED_PLACEMENTS (300) placements, each with an approved
# month of hours (on behalf, self-billing every third, commission for the
# supplier and the client), is billed cleanly twice (the two must agree).
# Then, MED_TRIALS (6) times, a fresh copy is ticked and killed with
# SIGKILL after a random fraction (0 to 1.1) of the clean run; every
# third trial kills the rerun as well. Each time the ledger must be whole
# (integrity, gapless numbering per series, either no invoice or the
# complete run), and after a rerun to completion it must hold exactly
# what the clean run wrote: invoices, lines, outbox, series (bench/dump.sh)
# and the hours and mediation_invoices rows. A second tick after that
# issues nothing, and each placement's month has one invoice per role.
# MED_SEED=N repeats a failing sequence.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
trials=${MED_TRIALS:-6}
n_pl=${MED_PLACEMENTS:-300}
seed=${MED_SEED:-$(( $$ + $(date +%s) ))}
day=2027-02-10
export CAREBILL_LIBDIR="$top" LC_ALL=C TZ=UTC CAREBILL_TODAY=$day
unset CAREBILL_DB

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-medcrash.XXXXXX") || exit 1
keep=0
trap '[ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
    keep=1
    echo "mediation_crash: FAIL: $*"
    echo "mediation_crash: seed $seed (MED_SEED=$seed repeats it); files kept in $tmp"
    exit 1
}
now_ms() { date +%s%3N; }

# ---- the agency: rules with n_pl placements
rules=$tmp/rules
mkdir -p "$rules"
sed -n '/^include:/,/^placements:/p' "$top/examples/agency/agency.yaml" >"$rules/agency.yaml"
cp "$top/examples/agency/mail.yaml" "$rules/mail.yaml"
awk -v n="$n_pl" 'BEGIN {
    for (i = 1; i <= n; i++) {
        printf "  - id: p%d\n    name: Plaatsing %d\n", i, i
        printf "    supplier: s%d\n    client: c%d\n", i % 20, i % 50
        printf "    hourly_rate: \"%d.50\"\n    vat: %s\n", 30 + i % 25,
               i % 3 == 0 ? "hoog" : "vrijgesteld"
        printf "    supplier_commission: %d\n", 5 + i % 10
        if (i % 4 == 0) printf "    client_commission_per_hour: \"1.25\"\n"
        printf "    invoice_mode: %s\n", i % 3 == 0 ? "self_billing" : "on_behalf"
    }
}' >>"$rules/agency.yaml"
export CAREBILL_RULES=$rules
"$bin" --db "$tmp/base.db" check >/dev/null 2>"$tmp/check.err" ||
    fail "rules: $(head -5 "$tmp/check.err")"
"$bin" --db "$tmp/base.db" init >/dev/null 2>"$tmp/init.err" ||
    fail "init: $(cat "$tmp/init.err")"
# Accounts, and a month of approved hours per placement, as the hours
# commands leave them (written in one go: thousands of commands would
# take minutes).
awk -v n="$n_pl" 'BEGIN {
    print "BEGIN;"
    print "INSERT INTO accounts(id, name, email, kind, created) VALUES " \
          "(\x27debrug\x27, \x27De Brug\x27, \x27f@debrug.example\x27, " \
          "\x27organisation\x27, \x272027-01-01\x27);"
    for (s = 0; s < 20; s++) {
        printf "INSERT INTO accounts(id, name, email, kind, iban, created) " \
               "VALUES (\x27s%d\x27, \x27Zorgverlener %d\x27, " \
               "\x27s%d@example.nl\x27, \x27supplier\x27, " \
               "\x27NL91ABNA0417164300\x27, \x272027-01-01\x27);\n", s, s, s
        printf "INSERT INTO mediation_accounts(account, kvk, vat_status, " \
               "selfbill_agreement) VALUES (\x27s%d\x27, \x27%08d\x27, " \
               "\x27exempt\x27, \x272026-12-01\x27);\n", s, 10000000 + s
    }
    for (c = 0; c < 50; c++)
        printf "INSERT INTO accounts(id, name, email, kind, created) VALUES " \
               "(\x27c%d\x27, \x27Cliënt %d\x27, \x27c%d@example.nl\x27, " \
               "\x27client\x27, \x272027-01-01\x27);\n", c, c, c
    for (i = 1; i <= n; i++) {
        for (d = 4; d <= 28; d += 3)
            printf "INSERT INTO hours(placement, work_date, month, minutes, " \
                   "rate_kind, status, created) VALUES (\x27p%d\x27, " \
                   "\x272027-01-%02d\x27, \x272027-01\x27, %d, \x27weekday\x27, " \
                   "\x27approved\x27, \x272027-01-31\x27);\n", i, d,
                   60 * (2 + (i + d) % 6)
        printf "INSERT INTO hours_reviews(placement, month, action, on_date) " \
               "VALUES (\x27p%d\x27, \x272027-01\x27, \x27submit\x27, " \
               "\x272027-02-01\x27);\n", i
        printf "INSERT INTO hours_reviews(placement, month, action, on_date) " \
               "VALUES (\x27p%d\x27, \x272027-01\x27, \x27approve\x27, " \
               "\x272027-02-03\x27);\n", i
    }
    print "COMMIT;"
}' | sqlite3 "$tmp/base.db" || fail "cannot fill the ledger"

dump() {
    sh "$top/bench/dump.sh" "$1" &&
    sqlite3 -separator '|' "$1" "
        SELECT 'hours', id, placement, work_date, minutes, status, invoice
        FROM hours ORDER BY id;
        SELECT 'link', placement, month, role, supplier, invoice
        FROM mediation_invoices ORDER BY placement, month, role;"
}

whole() {
    sh "$top/bench/dump.sh" --check "$1" >"$tmp/check.txt" 2>&1 ||
        fail "$2: ledger unsound: $(head -5 "$tmp/check.txt")"
    n=$(sqlite3 "$1" "SELECT COUNT(*) FROM invoices") ||
        fail "$2: ledger unreadable"
    [ "$n" = 0 ] || [ "$n" = "$total" ] ||
        fail "$2: ledger holds $n invoices of $total: a partial run was committed"
}

tick() { timeout 300 "$bin" --db "$1" tick --as-of "$day" --quiet; }

# ---- two clean runs
cp "$tmp/base.db" "$tmp/clean.db"
t0=$(now_ms)
tick "$tmp/clean.db" >"$tmp/clean.out" 2>&1 || fail "clean tick: $(head -5 "$tmp/clean.out")"
clean_ms=$(( $(now_ms) - t0 ))
total=$(sqlite3 "$tmp/clean.db" "SELECT COUNT(*) FROM invoices")
expect=$(( n_pl + n_pl / 3 + n_pl + n_pl / 4 ))
[ "$total" = "$expect" ] || fail "clean run issued $total invoices, expected $expect"
whole "$tmp/clean.db" "clean run"
dump "$tmp/clean.db" >"$tmp/clean.txt" || fail "cannot dump the clean run"
cp "$tmp/base.db" "$tmp/clean2.db"
t0=$(now_ms)
tick "$tmp/clean2.db" >/dev/null 2>&1 || fail "second clean tick failed"
[ $(( $(now_ms) - t0 )) -lt $clean_ms ] && clean_ms=$(( $(now_ms) - t0 ))
dump "$tmp/clean2.db" >"$tmp/clean2.txt"
cmp -s "$tmp/clean.txt" "$tmp/clean2.txt" || fail "two clean runs differ"
# A second tick issues nothing; each month has one invoice per role.
tick "$tmp/clean2.db" >/dev/null 2>&1 || fail "rerun of a finished tick failed"
dump "$tmp/clean2.db" >"$tmp/clean3.txt"
cmp -s "$tmp/clean.txt" "$tmp/clean3.txt" || fail "a second tick changed the ledger"
dups=$(sqlite3 "$tmp/clean.db" "SELECT COUNT(*) FROM (SELECT 1 FROM
    mediation_invoices GROUP BY placement, month, role HAVING COUNT(*) > 1)")
[ "$dups" = 0 ] || fail "$dups months invoiced twice in one role"
left=$(sqlite3 "$tmp/clean.db" "SELECT COUNT(*) FROM hours WHERE status <> 'invoiced'")
[ "$left" = 0 ] || fail "$left hours rows left uninvoiced"

# ---- the trials
awk -v s="$seed" -v n=$((trials * 3)) \
    'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.4f\n", rand() }' >"$tmp/rand"
k=0
next_rand() { k=$((k + 1)); r=$(sed -n "${k}p" "$tmp/rand"); }
before=0 after=0 i=0
while [ $i -lt "$trials" ]; do
    i=$((i + 1))
    db=$tmp/trial.db
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$tmp/base.db" "$db"
    kills=1
    [ $((i % 3)) = 0 ] && kills=2
    j=0
    while [ $j -lt $kills ]; do
        j=$((j + 1))
        next_rand
        delay=$(awk -v r="$r" -v ms="$clean_ms" 'BEGIN { printf "%.3f", r * 1.1 * ms / 1000 }')
        "$bin" --db "$db" tick --as-of "$day" --quiet >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        whole "$db" "trial $i kill $j after ${delay}s"
        if [ "$n" = 0 ]; then before=$((before + 1)); else after=$((after + 1)); fi
    done
    tick "$db" >"$tmp/rerun.out" 2>&1 || fail "trial $i: rerun: $(head -5 "$tmp/rerun.out")"
    whole "$db" "trial $i after the rerun"
    dump "$db" >"$tmp/trial.txt"
    if ! cmp -s "$tmp/clean.txt" "$tmp/trial.txt"; then
        diff "$tmp/clean.txt" "$tmp/trial.txt" | head -20
        fail "trial $i: rerun after SIGKILL differs from the clean run"
    fi
done
echo "mediation_crash: $trials trials on $n_pl placements ($total invoices), clean tick ${clean_ms} ms: $before kills before commit, $after after; every rerun equals the clean run, a second tick issues nothing"
