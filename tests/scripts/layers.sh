#!/bin/sh
# layers.sh [ENGINE_ROOT] — the engine's architecture as a test (issue 16).
# Reads every `#include "layer/file.h"` in ENGINE_ROOT/*/*.[ch] (default
# engine/ of this repository) and checks three things:
#   includes   each file's folder is its layer; it may include headers of
#              its own layer and of the layers the table below allows.
#              Reported as  FILE:LINE: layer X may not include layer Y (HEADER)
#   cycles     module = LAYER/NAME (NAME.c and NAME.h together); A -> B when
#              A.c or A.h includes B.h. Every cycle is reported as
#              cycle: A -> B -> ... -> A
#   SQL        the ledger's statement API (ledger_stmt, ledger_step, bind_*,
#              col_*) only in store/ and ledger/; `sqlite3` only in
#              ledger/sqlite*.c. Reported as  FILE:LINE: ...
# LAYERS_STRICT=1 fails on an include or cycle violation, LAYERS_STRICT_SQL=1
# on an SQL one (both the default); a check set to 0 only reports.
# tests/run sets neither.
# tests/scripts/layers_selftest.sh proves each check fails on
# tests/fixtures/layers/bad/.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -gt 0 ]; then
    root=${1%/}
else
    cd "$top" || exit 2
    root=engine
fi
strict=${LAYERS_STRICT:-1}
strict_sql=${LAYERS_STRICT_SQL:-1}
[ -d "$root" ] || { echo "layers: no directory $root"; exit 2; }
files=$(find "$root" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
[ -n "$files" ] || { echo "layers: no .c or .h files under $root"; exit 2; }

# shellcheck disable=SC2086
LC_ALL=C awk -v root="$root" -v strict="$strict" -v strict_sql="$strict_sql" '
BEGIN {
    # The layer table: the layers a file in each folder may include,
    # besides its own.
    allow["base"]    = "base"
    allow["formats"] = "base"
    allow["rules"]   = "base formats"
    allow["decide"]  = "base formats rules"
    allow["render"]  = "base formats rules decide"
    allow["ledger"]  = "base"
    allow["store"]   = "base formats rules decide ledger"
    allow["usecase"] = "base formats rules decide render ledger store usecase"
    allow["face"]    = "base formats rules decide render usecase face"
    sqlapi = "(ledger_stmt|ledger_step|bind_text|bind_int|bind_date|bind_null|col_text|col_ctext|col_int|col_date|col_is_null|col_count)"
    n_inc = 0; n_cyc = 0; n_sql = 0
}
FNR == 1 {
    rel = substr(FILENAME, length(root) + 2)
    slash = index(rel, "/")
    layer = slash ? substr(rel, 1, slash - 1) : ""
    mod = rel; sub(/\.[ch]$/, "", mod)
    base = substr(rel, slash + 1)
    known = (layer in allow)
    if (!known) {
        print FILENAME ": " (layer == "" ? "not in a layer folder" : "layer " layer " is not in the layer table")
        n_inc++
    }
    node[mod] = 1
    sql_ok = (layer == "store" || layer == "ledger")
    sqlite_ok = (layer == "ledger" && base ~ /^sqlite.*\.c$/)
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
    h = $0
    sub(/^[^"]*"/, "", h); sub(/".*$/, "", h)
    hs = index(h, "/")
    if (!hs) {
        print FILENAME ":" FNR ": include \"" h "\" does not name its layer (write \"layer/file.h\")"
        n_inc++
    } else {
        hl = substr(h, 1, hs - 1)
        if (known && hl != layer && index(" " allow[layer] " ", " " hl " ") == 0) {
            print FILENAME ":" FNR ": layer " layer " may not include layer " hl " (" h ")"
            n_inc++
        }
        hm = h; sub(/\.h$/, "", hm)
        if (hm != mod && !((mod, hm) in edge)) {
            edge[mod, hm] = 1
            succ[mod] = succ[mod] " " hm
            node[hm] = 1
        }
    }
}
!sql_ok && match($0, "(^|[^A-Za-z0-9_])" sqlapi "[ \t]*\\(") {
    call = substr($0, RSTART, RLENGTH); sub(/^[^A-Za-z_]/, "", call); sub(/[ \t]*\($/, "", call)
    print FILENAME ":" FNR ": SQL outside store/ and ledger/: " call "()"
    n_sql++
}
!sqlite_ok && /sqlite3/ {
    print FILENAME ":" FNR ": sqlite3 outside ledger/sqlite*.c"
    n_sql++
}
# Depth-first search; a successor still on the stack closes a cycle.
function visit(u,    list, k, i, v, j, k2, lo, cyc) {
    colour[u] = 1
    stack[++depth] = u
    k = split(succ[u], list, " ")
    for (i = 1; i <= k; i++) {
        v = list[i]
        if (colour[v] == 1) {
            # the cycle is stack[j..depth]; name it from its smallest module
            for (j = depth; stack[j] != v; j--)
                ;
            lo = j
            for (k2 = j; k2 <= depth; k2++) if (stack[k2] < stack[lo]) lo = k2
            cyc = stack[lo]
            for (k2 = lo + 1; k2 <= depth; k2++) cyc = cyc " -> " stack[k2]
            for (k2 = j; k2 < lo; k2++) cyc = cyc " -> " stack[k2]
            print "cycle: " cyc " -> " stack[lo]
            n_cyc++
        } else if (colour[v] == 0)
            visit(v)
    }
    depth--
    colour[u] = 2
}
END {
    # Visit in name order so the report is stable.
    nn = 0
    for (m in node) names[++nn] = m
    for (i = 2; i <= nn; i++)
        for (j = i; j > 1 && names[j - 1] > names[j]; j--) {
            t = names[j]; names[j] = names[j - 1]; names[j - 1] = t
        }
    depth = 0
    for (i = 1; i <= nn; i++) colour[names[i]] = 0
    for (i = 1; i <= nn; i++) if (colour[names[i]] == 0) visit(names[i])
    fail = (strict == 1 && n_inc + n_cyc > 0) || (strict_sql == 1 && n_sql > 0)
    printf "layers: %s: %d include violation%s, %d cycle%s, %d SQL placement violation%s (strict includes/cycles %s, SQL %s)\n", \
        root, n_inc, n_inc == 1 ? "" : "s", n_cyc, n_cyc == 1 ? "" : "s", n_sql, n_sql == 1 ? "" : "s", \
        strict == 1 ? "on" : "off", strict_sql == 1 ? "on" : "off"
    exit fail ? 1 : 0
}' $files
