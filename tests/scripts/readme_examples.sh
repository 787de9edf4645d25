#!/bin/sh
# readme_examples.sh — every example command of README.md runs against the
# bundled example practice. The examples are the lines that start with
# "$ " inside ```sh blocks; a line that follows one belongs to the same
# command while the command so far ends in a backslash or has a quote
# still open. They run in README order, each in its own `sh -c`, on one
# fresh ledger with examples/physio, CAREBILL_TODAY=2026-12-01, a sample
# camt.053 statement as ./statement.xml and an SMTP server on loopback
# that refuses anna's address (so one message fails and can be retried);
# each must exit 0 unless its last line says "# exit N". The cron line of "Scheduling the daily
# run" (the ```crontab block) is then run as cron would run it: its
# command under `env -i sh -c` with only the crontab's variables, against
# a `make install` into a temporary DESTDIR, with the install's paths
# in place of /usr/local and the example's in place of /var/lib and /etc.
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
B=${B:-build}
readme=$top/README.md
export LC_ALL=C TZ=UTC

tmp=$(mktemp -d "${TMPDIR:-/tmp}/carebill-readme.XXXXXX") || exit 1
keep=0
trap '[ $keep = 1 ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
    keep=1
    echo "readme_examples: FAIL: $*"
    echo "readme_examples: files kept in $tmp"
    exit 1
}

# ---- extract: one file per command, cmd.0001 ...
mkdir "$tmp/cmds" "$tmp/work" "$tmp/bin"
awk -v dir="$tmp/cmds" '
function quotes_open(s,    n1, n2, t) {
    t = s; n1 = gsub(/"/, "", t)
    t = s; n2 = gsub(/\047/, "", t)
    return (n1 % 2) || (n2 % 2)
}
function flush() {
    if (cur != "") { n++; f = sprintf("%s/cmd.%04d", dir, n); printf "%s\n", cur > f; close(f) }
    cur = ""
}
/^```sh[ \t]*$/ { insh = 1; next }
/^```/ { if (insh) flush(); insh = 0; next }
!insh { next }
/^\$ / { flush(); cur = substr($0, 3); next }
cur != "" && (cur ~ /\\$/ || quotes_open(cur)) { cur = cur "\n" $0; next }
{ flush() }
END { flush() }
' "$readme"
ncmd=$(ls "$tmp/cmds" | wc -l)
[ "$ncmd" -ge 30 ] || fail "only $ncmd example commands found in README.md"

# ---- SMTP servers on loopback (tests/smtpd.py): one for the examples
# that refuses anna's mail with a 550, so that `outbox retry` has a failed
# message to retry, one for the cron line that takes everything
. "$top/tests/smtp_server"
trap 'smtp_stop; [ $keep = 1 ] || rm -rf "$tmp"' EXIT
smtp_start "$tmp/mail" --reject-rcpt 'anna*:550' || fail "smtpd did not start"
port=$SMTP_PORT
smtp_start "$tmp/cronmail" --reject-rcpt 'nobody-at-all*:550' ||
    fail "smtpd did not start"
cronport=$SMTP_PORT

# ---- run them in order
ln -s "$bin" "$tmp/bin/carebill"
cp "$top/tests/xsd/camt053-samples/camt053.v2.minimal.xml" \
    "$tmp/work/statement.xml"
# the seat-plan examples name the example SaaS as examples/saas
ln -s "$top/examples" "$tmp/work/examples"
for f in "$tmp"/cmds/cmd.*; do
    want=0
    last=$(tail -n 1 "$f")
    case $last in
    *"# exit "[0-9]*) want=$(printf '%s\n' "$last" |
                              sed -n 's/.*# exit \([0-9][0-9]*\).*/\1/p') ;;
    esac
    (
        cd "$tmp/work" &&
        PATH="$tmp/bin:$PATH" CAREBILL_DB="$tmp/work/ledger.db" \
        CAREBILL_RULES="$top/examples/physio" CAREBILL_LIBDIR="$top" \
        CAREBILL_TODAY=2026-12-01 CAREBILL_SMTP_HOST=127.0.0.1 \
        CAREBILL_SMTP_PORT="$port" \
        timeout 120 sh -c "$(cat "$f")" >"$f.out" 2>"$f.err"
    )
    rc=$?
    if [ "$rc" != "$want" ]; then
        cat "$f.err"
        fail "README example exited $rc, expected $want: $(cat "$f")"
    fi
done

# ---- the cron line, as cron runs it
cron=$(awk '/^```crontab/ { c = 1; next } /^```/ { c = 0 } c' "$readme")
[ -n "$cron" ] || fail "no \`\`\`crontab block in README.md"
line=$(printf '%s\n' "$cron" | grep -E '^[0-9*]' | head -n 1)
vars=$(printf '%s\n' "$cron" | grep -E '^[A-Z_]+=' )
case $line in
*/usr/local/bin/carebill*) ;;
*) fail "the cron line does not call carebill by its absolute path: $line" ;;
esac
printf '%s\n' "$vars" | grep -q '^CRON_TZ=' || fail "the crontab sets no CRON_TZ"
# The command: everything after the five time fields.
cmd=$(printf '%s\n' "$line" | sed -E 's/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +//')
case $cmd in *%*) fail "a % in a crontab command is a newline to cron" ;; esac
dest=$tmp/dest
make -s -C "$top" B="$B" -o "$B/carebill" DESTDIR="$dest" PREFIX=/usr/local \
    install >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install"; }
for f in bin/carebill share/man/man1/carebill.1 \
         share/bash-completion/completions/carebill share/carebill/lua \
         share/carebill/rules share/carebill/schema; do
    [ -e "$dest/usr/local/$f" ] || fail "make install did not install $f"
done
mkdir -p "$tmp/cron/var" "$tmp/cron/etc"
printf 'secret\n' >"$tmp/cron/etc/delinde.password"
chmod 600 "$tmp/cron/etc/delinde.password"
ln -s "$top/examples/physio" "$tmp/cron/etc/delinde"
paths() {
    sed -e "s#/usr/local/#$dest/usr/local/#g" \
        -e "s#/var/lib/carebill/#$tmp/cron/var/#g" \
        -e "s#/etc/carebill/#$tmp/cron/etc/#g"
}
run=$(printf '%s\n' "$cmd" | paths)
# cron's own environment: HOME, LOGNAME, SHELL=/bin/sh, a short PATH, and
# the crontab's variables (CRON_TZ is cron's, not the command's); under
# `make asan` also its ASAN_OPTIONS (leaks are not errors there).
envs=$(printf '%s\n' "$vars" | grep -v '^CRON_TZ=' | paths | tr '\n' ' ')
CAREBILL_DB="$tmp/cron/var/delinde.db" CAREBILL_RULES="$tmp/cron/etc/delinde" \
    CAREBILL_TODAY=2026-01-01 "$dest/usr/local/bin/carebill" init >/dev/null ||
    fail "init of the cron ledger"
CAREBILL_DB="$tmp/cron/var/delinde.db" CAREBILL_RULES="$tmp/cron/etc/delinde" \
    CAREBILL_TODAY=2026-01-01 PATH="$dest/usr/local/bin:$PATH" \
    sh "$top/examples/physio/setup.sh" >/dev/null || fail "setup of the cron ledger"
# shellcheck disable=SC2086
(cd "$tmp/cron" && env -i HOME="$tmp/cron" LOGNAME=cron SHELL=/bin/sh \
    PATH=/usr/bin:/bin $envs CAREBILL_SMTP_HOST=127.0.0.1 \
    CAREBILL_SMTP_PORT="$cronport" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
    sh -c "$run") >"$tmp/cron.out" 2>&1 ||
    { cat "$tmp/cron.out"; fail "the cron line's command failed: $run"; }
n=$(CAREBILL_DB="$tmp/cron/var/delinde.db" CAREBILL_RULES="$tmp/cron/etc/delinde" \
    CAREBILL_TODAY=2026-12-01 "$dest/usr/local/bin/carebill" report invoices \
    --format csv | tail -n +2 | wc -l)
[ "$n" -gt 0 ] || fail "the cron line's tick issued no invoice"
[ -n "$(ls "$tmp/cronmail")" ] ||
    fail "the cron line's outbox send delivered nothing"
exit 0
