# Keeps docs/equations.md in step with rnn.h.
#   awk -f tools/equations.awk rnn.h docs/equations.md > new.md
# Reads rnn.h's implementation and finds, for every [tag], the statement
# that computes it: a tag counts where it sits in a comment on a line of
# code (the comment may go on over the next lines), or in a comment block
# directly above a statement (no blank line between; a function's header,
# a declaration, a preprocessor line or a lone brace is not a statement).
# The first such place gives the function and line. Then copies
# docs/equations.md, rewriting the last cell of every table row whose first
# cell is a `tag` with a link to that function and line. It exits 1, naming
# them on standard error, for tags that appear only in comments with no
# computing statement next to them, for tags of the docs that rnn.h does
# not compute, and for computed tags the docs do not list.
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
        else { print row " (not in rnn.h) |"; if (!(tag in loose)) missing = missing " " tag }
        seen[tag] = 1
        next
    }
    print
    next
}
END {
    for (t in where) if (!(t in seen)) extra = extra " " t
    for (t in loose) if (!(t in where)) only_words = only_words " " t " (line " loose[t] ")"
    if (only_words != "") { print "equations.awk: tags only in comments, with no computing statement next to them:" only_words > "/dev/stderr"; bad = 1 }
    if (missing != "") { print "equations.awk: tags in the docs that rnn.h does not compute:" missing > "/dev/stderr"; bad = 1 }
    if (extra != "") { print "equations.awk: tags in rnn.h missing from the docs:" extra > "/dev/stderr"; bad = 1 }
    exit bad
}
# a formula's tag, as opposed to a word in brackets
function is_tag(t) {
    if (t ~ /^[a-z]-/) return 0
    return t ~ /[.-]/ || t ~ /^(tbptt|deep|birnn|leaky|skip|onehot|bleu|teacher-forcing)$/
}
function place_tags(   i, j, k, s, in_comment, seg, nm, t, attach) {
    # per line: code[i] the text outside comments; the comments' text with
    # the line where each comment began (cline), in segs
    in_comment = 0
    for (i = impl; i <= n; i++) {
        s = line[i]; code[i] = ""; seg = ""
        while (s != "") {
            if (in_comment) {
                if (match(s, /\*\//)) { seg = seg " " substr(s, 1, RSTART - 1); s = substr(s, RSTART + 2); in_comment = 0 }
                else { seg = seg " " s; s = "" }
            } else {
                if (match(s, /\/\*/)) { code[i] = code[i] substr(s, 1, RSTART - 1); s = substr(s, RSTART + 2); in_comment = 1; cstart_line = i
                                        if (code[i] ~ /[^ \t]/) cstart_code = 1; else cstart_code = 0 }
                else { code[i] = code[i] s; s = "" }
            }
            if (!in_comment && seg != "") { comments[i] = comments[i] seg; owner[i] = owner[i] " " cowner(cstart_line, cstart_code); seg = "" }
        }
        if (in_comment && seg != "") { comments[i] = comments[i] seg; owner[i] = owner[i] " " cowner(cstart_line, cstart_code) }
        incode[i] = code[i] ~ /[^ \t]/
        if (line[i] ~ /^(RNNDEF|static) / && line[i] ~ /\(/ && line[i] !~ /;[ \t]*$/) {
            nm = line[i]; sub(/\(.*/, "", nm); sub(/.*[ *]/, "", nm)
            fname[i] = nm
        }
    }
    for (i = impl; i <= n; i++) {
        s = comments[i]
        while (match(s, /\[[a-z0-9][A-Za-z0-9.-]*\]/)) {
            t = substr(s, RSTART + 1, RLENGTH - 2)
            s = substr(s, RSTART + RLENGTH)
            if (!is_tag(t) || (t in where)) continue
            # the statement the tag belongs to: the line its comment began on,
            # if that line has code; else the next line of code, if only
            # comment lines come between
            attach = 0
            if (incode[i] && line[i] !~ /^[ \t]*\/\*/) attach = i
            else {
                k = owner_line(i)
                if (k && incode[k] && line[k] !~ /^[ \t]*\/\*/) attach = k
                else for (j = i + 1; j <= n; j++) {
                    if (line[j] ~ /^[ \t]*$/) break
                    if (incode[j]) { attach = j; break }
                }
            }
            if (attach && !statement(attach)) attach = 0
            if (!attach) { if (!(t in loose)) loose[t] = i; continue }
            for (j = attach; j >= impl; j--) if (j in fname) break
            if (j < impl) { if (!(t in loose)) loose[t] = i; continue }
            where[t] = "[`" fname[j] "`](../rnn.h#L" j ")"
        }
    }
}
function cowner(l, has_code) { return has_code ? l : 0 }
# the line whose code a comment on line i trails (0: none)
function owner_line(i,   a, m, k) {
    m = split(owner[i], a, " ")
    for (k = 1; k <= m; k++) if (a[k] + 0 > 0) return a[k] + 0
    return 0
}
# a line that computes: not a function's header, a declaration, a
# preprocessor line or a brace alone
function statement(j,   c) {
    c = code[j]
    if (j in fname) return 0
    if (c ~ /^[ \t]*#/) return 0
    if (c ~ /^[ \t]*[{};]*[ \t]*$/) return 0
    if (c ~ /^(RNNDEF|static|typedef) /) return 0
    return 1
}
