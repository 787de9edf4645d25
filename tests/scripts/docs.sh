#!/bin/sh
# docs.sh — the reference, the man page and the bash completion follow
# the engine's own tables, so they cannot drift:
#  - doc/reference.md names every placeholder (template_names in
#    engine/formats/template.c), every event (rules.c event_names), every
#    key of the field tables in engine/rules/rules.c, every hook context
#    field (HKV_* in decide/billing.c and usecase/events.c), every cb
#    helper (hooks.c), every environment variable the engine reads and
#    every exit code of face/cli.h;
#  - doc/carebill.1 has a subsection for every row of the command table
#    (engine/face/main.c) and names every option its --help shows, and
#    groff reads it without a warning;
#  - doc/carebill.bash-completion, sourced under bash, completes commands,
#    sub-commands, options and option values (COMP_WORDS/COMP_CWORD).
set -u
top=$(pwd)
bin=${CAREBILL:-$top/carebill}
ref=$top/doc/reference.md
man=$top/doc/carebill.1
comp=$top/doc/carebill.bash-completion
export LC_ALL=C
bad=0
miss() { echo "docs: $*"; bad=1; }

# ---- reference.md against the engine's tables
has() { grep -qF -- "$1" "$ref"; }
for n in $(sed -n '/^const char \*const template_names/,/NULL,/p' \
               "$top/engine/formats/template.c" | sed -n 's/^ *"\([^"]*\)",/\1/p'); do
    has "\`$n\`" || miss "reference.md: placeholder '$n' missing"
done
for n in $(sed -n '/^static const char \*const event_names/,/^};/p' \
               "$top/engine/rules/rules.c" | sed -n 's/.*= *"\([a-z_]*\)",/\1/p'); do
    has "\`$n\`" || miss "reference.md: event '$n' missing"
done
for n in $(grep -oE '\b(F|FR|FENUM|FREF|FHOOK|FMAP|FLIST)\("[a-z_]+"|\{"[a-z_]+", FT_' \
               "$top/engine/rules/rules.c" | sed 's/.*"\([a-z_]*\)".*/\1/' | sort -u); do
    grep -qE "\`([a-z_]+\.)?$n\`" "$ref" || miss "reference.md: setting or key '$n' missing"
done
for n in $(grep -ohE 'HKV_[ISB]\("[a-z_.]+"' "$top/engine/decide/billing.c" \
               "$top/engine/usecase/events.c" | sed 's/.*"\(.*\)"/\1/' | sort -u); do
    has "\`ctx.$n\`" || miss "reference.md: hook context field 'ctx.$n' missing"
done
for n in $(grep -oE '\{"[a-z_]+", cb_[a-z_]+\}' "$top/engine/rules/hooks.c" |
               sed 's/{"\([a-z_]*\)".*/\1/'); do
    has "\`cb.$n(" || miss "reference.md: cb helper 'cb.$n' missing"
done
for n in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$top/engine" | sed 's/getenv("\(.*\)")/\1/' | sort -u) \
         CAREBILL_SMTP_PASSWORD; do
    has "\`$n\`" || miss "reference.md: environment variable '$n' missing"
done
for n in $(sed -n 's/^enum { *\(EXIT_OK.*\)};/\1/p' "$top/engine/face/cli.h" |
               tr ',' '\n' | sed -n 's/ *\(EXIT_[A-Z]*\) *= *[0-9]*.*/\1/p'); do
    has "\`$n\`" || miss "reference.md: exit code '$n' missing"
done

# ---- the man page against the command table
table=$(sed -n '/^static const struct command commands\[\]/,/^};/p' \
            "$top/engine/face/main.c" | tr '\n' ' ' |
        grep -oE '\{"[a-z-]+", *(NULL|"[a-z-]+")' |
        sed -E 's/\{"([a-z-]+)", *"?([a-z-]*)"?/\1 \2/; s/ NULL$//')
[ "$(printf '%s\n' "$table" | wc -l)" -ge 20 ] || miss "command table not found in main.c"
printf '%s\n' "$table" | while read -r word sub; do
    if [ -z "$sub" ]; then
        # A group's own row: its word starts a subsection; a command: its own.
        grep -qE "^\.SS \"$word( |\")" "$man" ||
            grep -qF ".SS \"$(printf '%s' "$word" | sed 's/-/\\-/g')\"" "$man" ||
            echo "docs: carebill.1: no subsection for '$word'"
        continue
    fi
    # doc/man-commands.sh writes a '-' in a title as roff's '\-'
    roff_sub=$(printf '%s' "$sub" | sed 's/-/\\-/g')
    grep -qE "^\.SS \"$word $sub\"" "$man" ||
        grep -qF ".SS \"$word $roff_sub\"" "$man" ||
        echo "docs: carebill.1: no subsection for '$word $sub'"
    for o in $("$bin" "$word" "$sub" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$man" ||
            echo "docs: carebill.1: option $o of '$word $sub' missing"
    done
done >"${TMPDIR:-/tmp}/docs.$$"
if [ -s "${TMPDIR:-/tmp}/docs.$$" ]; then
    cat "${TMPDIR:-/tmp}/docs.$$"
    echo "docs: sh doc/man-commands.sh BUILD/carebill rewrites the COMMANDS section"
    bad=1
fi
rm -f "${TMPDIR:-/tmp}/docs.$$"
for w in $(printf '%s\n' "$table" | awk '$2 == "" { print $1 }'); do
    for o in $("$bin" "$w" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$man" ||
            miss "carebill.1: option $o of '$w' missing"
    done
done
if command -v groff >/dev/null 2>&1; then
    w=$(groff -man -ww -z "$man" 2>&1)
    [ -z "$w" ] || miss "carebill.1: groff: $w"
fi

# ---- bash completion
if command -v bash >/dev/null 2>&1; then
    bdir=$(mktemp -d)
    ln -s "$bin" "$bdir/carebill"
    out=$(PATH="$bdir:$PATH" bash -c '
        . "$1" || exit 1
        c() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
              _carebill; printf "%s|%s\n" "$*" "${COMPREPLY[*]}"; }
        c carebill su
        c carebill subscription ""
        c carebill subscription st
        c carebill subscription start --
        c carebill --db x.db tick --d
        c carebill report invoices --format ""
        c carebill account add --kind o
        c carebill tick --as-of 2026-12-01 --q
        c carebill appointment b
        c carebill --v
        c carebill ""
    ' sh "$comp" 2>&1)
    rm -rf "$bdir"
    want() {
        printf '%s\n' "$out" | grep -qxF -- "$1" || miss "completion: want '$1'; got: $(printf '%s\n' "$out" | grep -F -- "${1%%|*}|")"
    }
    want 'carebill su|subscription'
    want 'carebill subscription |start pause resume stop list'
    want 'carebill subscription st|start stop'
    want 'carebill subscription start --|--account --direct-debit --from --quantity --type --help'
    want 'carebill --db x.db tick --d|--dry-run'
    want 'carebill report invoices --format |table json csv'
    want 'carebill account add --kind o|organisation'
    want 'carebill tick --as-of 2026-12-01 --q|--quiet'
    want 'carebill appointment b|book'
    want 'carebill --v|--version'
    # Every command word of the table, in table order.
    words=$(printf '%s\n' "$table" | awk '!seen[$1]++ { printf "%s%s", s, $1; s = " " }')
    want "carebill |$words"
fi

[ $bad = 0 ]
