# Keeps docs/reading-paths.md in step with rnn.h.
#   awk -f tools/reading_paths.awk rnn.h docs/reading-paths.md > new.md
# Reads the sections of rnn.h (a section starts at a line "/* >>name") and
# where each function is defined (the rule of tools/equations.awk: a line
# starting "RNNDEF " or "static " with a "(" and no closing ";", after
# #ifdef RNN_IMPLEMENTATION). Then copies the reading paths, rewriting the
# last cell of every numbered row with the sections that define the
# functions named in its third cell, in order. A function or a [tag] that
# rnn.h does not have is listed on standard error and makes it exit 1.
FNR == 1 { file++ }
file == 1 {
    if ($0 ~ /^#ifdef RNN_IMPLEMENTATION/) impl = 1
    if (match($0, /^\/\*[ \t]*>>[A-Za-z0-9_-]+/)) { sec = substr($0, RSTART, RLENGTH); sub(/^\/\*[ \t]*/, "", sec) }
    if (impl && $0 ~ /^(RNNDEF|static) / && $0 ~ /\(/ && $0 !~ /;[ \t]*$/) {
        nm = $0; sub(/\(.*/, "", nm); sub(/.*[ *]/, "", nm)
        if (!(nm in fsec)) fsec[nm] = sec
    }
    s = $0
    while (match(s, /\[[a-z0-9][A-Za-z0-9.-]*\]/)) { tag[substr(s, RSTART + 1, RLENGTH - 2)] = 1; s = substr(s, RSTART + RLENGTH) }
    next
}
/^\| [0-9]+ \|/ {
    n = split($0, c, "|")
    # c[1] is empty, c[2] the number, c[3] the slides, c[4] what to read, c[n-1] the section
    s = c[4]; secs = ""; delete seen
    while (match(s, /`[^`]+`/)) {
        w = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
        if (w ~ /^\[[a-z0-9][A-Za-z0-9.-]*\]$/) {
            t = substr(w, 2, length(w) - 2)
            if (!(t in tag)) { bad = bad "\n  row " c[2] "of " FILENAME ": the tag [" t "] is not in rnn.h"; }
            continue
        }
        if (w !~ /^rnn_[A-Za-z0-9_]+$/) continue
        if (!(w in fsec)) { bad = bad "\n  row " c[2] "of " FILENAME ": rnn.h defines no function " w; continue }
        if (!(fsec[w] in seen)) { seen[fsec[w]] = 1; secs = secs (secs == "" ? "" : ", ") "`" fsec[w] "`" }
    }
    if (secs == "") { bad = bad "\n  row " c[2] "of " FILENAME ": names no function of rnn.h"; print; next }
    line = "|"
    for (i = 2; i < n - 1; i++) line = line c[i] "|"
    print line " " secs " |"
    next
}
{ print }
END {
    if (bad != "") { print "reading_paths.awk:" bad > "/dev/stderr"; exit 1 }
}
