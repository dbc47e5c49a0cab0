# Keeps docs/equations.md in step with rnn.h.
#   awk -f tools/equations.awk rnn.h docs/equations.md > new.md
# Reads rnn.h's implementation and finds, for every [tag], the function that
# computes it: the function around the tag, or, for a tag in the comment
# just above a function, that function. Then copies docs/equations.md,
# rewriting the last cell of every table row whose first cell is a `tag`
# with a link to that function and line. Tags it cannot place are listed on
# standard error and make it exit 1.
FNR == 1 { file++ }
file == 1 {
    line[FNR] = $0
    if ($0 ~ /^#ifdef RNN_IMPLEMENTATION/) impl = FNR
    n = FNR
    next
}
file == 2 && FNR == 1 { place_tags() }
file == 2 {
    if ($0 ~ /^\| `[A-Za-z0-9.-]+` \|/) {
        tag = $0; sub(/^\| `/, "", tag); sub(/`.*/, "", tag)
        row = $0; sub(/\|[^|]*\|[ ]*$/, "|", row)
        if (tag in where) print row " " where[tag] " |"
        else { print row " (not in rnn.h) |"; missing = missing " " tag }
        seen[tag] = 1
        next
    }
    print
    next
}
END {
    for (t in where) if (!(t in seen)) extra = extra " " t
    if (missing != "") { print "equations.awk: tags in the docs that rnn.h does not compute:" missing > "/dev/stderr"; bad = 1 }
    if (extra != "") { print "equations.awk: tags in rnn.h missing from the docs:" extra > "/dev/stderr"; bad = 1 }
    exit bad
}
function place_tags(   i, j, s, in_comment, def_name, def_line, nm, t, k) {
    # which lines are comment only, and where each function starts
    in_comment = 0
    for (i = impl; i <= n; i++) {
        s = line[i]
        only[i] = (in_comment || s ~ /^[ \t]*\/\*/ || s ~ /^[ \t]*$/)
        tmp = s
        while (1) {
            if (in_comment) { if (match(tmp, /\*\//)) { tmp = substr(tmp, RSTART + 2); in_comment = 0 } else break }
            else { if (match(tmp, /\/\*/)) { tmp = substr(tmp, RSTART + 2); in_comment = 1 } else break }
        }
        if (s ~ /^(RNNDEF|static) / && s ~ /\(/ && s !~ /;[ \t]*$/) {
            nm = s; sub(/\(.*/, "", nm); sub(/.*[ *]/, "", nm)
            fname[i] = nm
        }
    }
    for (i = impl; i <= n; i++) {
        s = line[i]
        while (match(s, /\[[a-z0-9][A-Za-z0-9.-]*\]/)) {
            t = substr(s, RSTART + 1, RLENGTH - 2)
            s = substr(s, RSTART + RLENGTH)
            if (t ~ /^[a-z]-/) continue
            if (t !~ /[.-]/ && t !~ /^(tbptt|deep|birnn|leaky|skip|onehot|bleu|teacher-forcing)$/) continue
            if (t in where) continue
            # a comment above a function belongs to that function
            def_line = 0
            if (only[i]) for (j = i + 1; j <= n; j++) { if (j in fname) { def_line = j; break } if (!only[j]) break }
            if (!def_line) for (j = i; j >= impl; j--) if (j in fname) { def_line = j; break }
            if (!def_line) continue
            where[t] = "[`" fname[def_line] "`](../rnn.h#L" def_line ")"
        }
    }
}
