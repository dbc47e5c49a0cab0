#!/bin/sh
# The annotated reader (make reader) and the docs it is made of.
# Always: docs/formulas.tsv has a formula in rnn.h's notation for every tag of
# rnn.h, a row for every deck that docs/equations.md says has the tag, and no
# tag rnn.h does not have; its errata exist in docs/errata.md; every tag and
# rnn.h name of docs/glossary.md exists; docs/reading-paths.md names only
# functions and tags of rnn.h and its section column is up to date.
# With Debian's katex, fonts-katex, chromium and python3: the site is built,
# and every page is opened in headless Chromium, where it checks itself
# (tools/reader.js, ?selfcheck): every tag's anchor is its formula, typeset
# (MathML and HTML, no KaTeX error node, KaTeX's CSS applied, no font that
# failed to load), beside its statement; the notation switch changes the
# formulas; a click on a statement shows its formula and a click on a formula
# marks its statement; index.html#tag opens the page of the tag; no page
# writes to the console. Last, a screenshot of the LSTM formulas
# (build/reader/reader_lstm.png; `make reader-screenshot` puts it in
# docs/images/ for the README).
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
LC_ALL=C.UTF-8; export LC_ALL

# ---- the tags of rnn.h: the rule of tools/equations.awk (the implementation part)
awk '/^#ifdef RNN_IMPLEMENTATION/ { on = 1 } on {
    s = $0
    while (match(s, /\[[a-z0-9][A-Za-z0-9.-]*\]/)) {
        t = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
        if (t ~ /^[a-z]-/) continue
        if (t !~ /[.-]/ && t !~ /^(tbptt|deep|birnn|leaky|skip|onehot|bleu|teacher-forcing)$/) continue
        print t
    } }' rnn.h | sort -u > "$tmp/tags"
ntags=$(wc -l < "$tmp/tags")
[ "$ntags" -gt 0 ] && ok "rnn.h has $ntags formula tags" || no "no tags found in rnn.h"

# ---- docs/formulas.tsv against rnn.h, both ways
f=docs/formulas.tsv
bad=$(awk -F'\t' '!/^#/ && NF { if (NF != 8) print "line " NR ": " NF " columns";
    else if ($2 !~ /^(D[0-4]|rnn\.h)$/) print "line " NR ": notation " $2;
    else if ($6 !~ /^(math|words)$/) print "line " NR ": kind " $6 }' "$f")
[ -z "$bad" ] && ok "$f: every row has 8 columns, a notation D0..D4 or rnn.h, and a kind" || no "$f: $bad"
# both_ways FILE: the tags of rnn.h without an rnn.h formula in FILE, then
# "|", then the tags of FILE that rnn.h does not have
both_ways() {
    awk -F'\t' '!/^#/ && NF { print $1 }' "$1" | sort -u > "$tmp/ftags"
    awk -F'\t' '!/^#/ && $2 == "rnn.h" && $6 == "math" { print $1 }' "$1" | sort -u > "$tmp/fcode"
    echo "$(comm -23 "$tmp/tags" "$tmp/fcode" | tr '\n' ' ')|$(comm -13 "$tmp/tags" "$tmp/ftags" | tr '\n' ' ')"
}
r=$(both_ways "$f")
[ "${r%%|*}" = "" ] && ok "every tag of rnn.h has its formula in rnn.h's notation in $f" \
    || no "tags of rnn.h without a formula in rnn.h's notation in $f: ${r%%|*}"
[ "${r#*|}" = "" ] && ok "every tag of $f is a tag rnn.h computes" || no "$f has formulas for tags rnn.h does not have: ${r#*|}"
# the check catches a formula removed and a formula for a tag rnn.h lacks
grep -v "^lstm.forget$(printf '\t')rnn.h" "$f" > "$tmp/broken1.tsv"
{ cat "$f"; printf 'lstm.forgot\trnn.h\t-\t-\t-\tmath\t-\tf_t\n'; } > "$tmp/broken2.tsv"
r1=$(both_ways "$tmp/broken1.tsv"); r2=$(both_ways "$tmp/broken2.tsv")
[ "$r1" = "lstm.forget |" ] && [ "$r2" = "|lstm.forgot " ] && ok "the check fails on a tag whose formula is missing, and on a formula for a tag rnn.h does not have" \
    || no "the both-ways check misses a broken table: '$r1' '$r2'"
# every deck that docs/equations.md gives for a tag has its row
awk -F'|' '/^\| `[A-Za-z0-9.-]+` \|/ { t = $2; gsub(/[ `]/, "", t); s = $4
    while (match(s, /D[0-4] "/)) { print t "\t" substr(s, RSTART, 2); s = substr(s, RSTART + 3) } }' docs/equations.md | sort -u > "$tmp/eqdecks"
awk -F'\t' '!/^#/ && NF && $2 != "rnn.h" { print $1 "\t" $2 }' "$f" | sort -u > "$tmp/fdecks"
gap=$(comm -23 "$tmp/eqdecks" "$tmp/fdecks" | tr '\t\n' ': ')
[ -s "$tmp/eqdecks" ] && [ -z "$gap" ] && ok "every deck docs/equations.md gives for a tag has that tag's formula in $f ($(wc -l < "$tmp/fdecks") tag-deck pairs)" \
    || no "tag and deck pairs of docs/equations.md without a row in $f: $gap"
nums=$(awk -F'\t' '!/^#/ && NF && $5 != "-" { n = split($5, e, ","); for (i = 1; i <= n; i++) print e[i] }' "$f" | sort -un)
bad=""
for e in $nums; do
    if [ "$e" -le 14 ]; then grep -q "^| $e | " docs/errata.md || bad="$bad $e"
    else grep -q "^$e\. \*\*" docs/errata.md || bad="$bad $e"; fi
done
[ -z "$bad" ] && ok "the errata $f cites are in docs/errata.md" || no "$f cites errata that docs/errata.md does not have:$bad"

# ---- docs/glossary.md: its tags and rnn.h names exist
g=docs/glossary.md
bad=""
# the tags are in the last column of the tables
for t in $(awk -F'|' '/^\| / && NF > 4 { print $(NF - 1) }' "$g" | grep -o '`[a-z0-9][A-Za-z0-9.-]*`' | tr -d '`' | sort -u); do
    grep -qx "$t" "$tmp/tags" || bad="$bad $t"
done
for w in $(grep -o '`[^`]*`' "$g" | grep -o '\b\(rnn_\|RNN_\|rnn__\|RNN__\)[A-Za-z0-9_]*' | sort -u); do
    grep -q "\\b$w\\b" rnn.h || bad="$bad $w"
done
for w in $(grep -o '`desc\.[a-z_]*`' "$g" | tr -d '`' | sed 's/^desc\.//' | sort -u); do
    grep -q "^ *[a-z_ ]* \**$w;" rnn.h || bad="$bad desc.$w"
done
[ -z "$bad" ] && ok "every tag and rnn.h name of $g exists in rnn.h" || no "$g names what rnn.h does not have:$bad"
nterms=$(grep -c '^| \*' "$g")
[ "$nterms" -ge 40 ] && ok "$g maps $nterms of the decks' terms to rnn.h" || no "$g has only $nterms terms"

# ---- docs/reading-paths.md: up to date with rnn.h's sections
if awk -f tools/reading_paths.awk rnn.h docs/reading-paths.md > "$tmp/rp.md" 2> "$tmp/rp.err"; then
    ok "docs/reading-paths.md names only functions and tags rnn.h has"
else
    no "docs/reading-paths.md: $(cat "$tmp/rp.err")"
fi
if cmp -s "$tmp/rp.md" docs/reading-paths.md; then ok "docs/reading-paths.md gives each function's section (run 'make reading-paths' after moving code)"
else no "docs/reading-paths.md is out of date: run 'make reading-paths' ($(diff docs/reading-paths.md "$tmp/rp.md" | grep -c '^>') rows differ)"; fi
for d in D0 D1 D2 D3 D4; do
    grep -q "^## $d " docs/reading-paths.md || no "docs/reading-paths.md has no path for $d"
done

# ---- the README and the guides link the reader by tag: those tags exist
bad=""
for t in $(grep -oh 'reader/index.html#[A-Za-z0-9.-]*' README.md docs/*.md docs/guide/*.md | sed 's/.*#//' | sort -u); do
    grep -qx "$t" "$tmp/tags" || bad="$bad $t"
done
n=$(grep -l 'reader/index.html#' docs/guide/*.md | wc -l)
[ -z "$bad" ] && [ "$n" -eq "$(ls docs/guide/*.md | wc -l)" ] && ok "every guide ($n) links the reader at one of its tags, and every tag linked exists" \
    || no "reader links to tags rnn.h does not have:$bad; guides with a link: $n of $(ls docs/guide/*.md | wc -l)"

# ---- the site, in a browser
py=/usr/bin/python3; [ -x "$py" ] || py=python3
need=""
command -v node > /dev/null 2>&1 && NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH} node -e 'require("katex")' > /dev/null 2>&1 || need="$need katex"
[ -f /usr/share/javascript/katex/katex.min.css ] && [ -d /usr/share/fonts/truetype/katex ] || need="$need fonts-katex"
command -v chromium > /dev/null 2>&1 || need="$need chromium"
command -v "$py" > /dev/null 2>&1 || need="$need python3"
if [ -n "$need" ]; then
    sk "the reader in a browser: apt-get install$need"
    echo "$pass passed, $fail failed, $skip skipped"
    [ $fail -eq 0 ]; exit
fi
start=$(date +%s)
if "$py" tools/reader.py --out build/reader > "$tmp/build.log" 2>&1; then
    ok "make reader: $(head -n 1 "$tmp/build.log" | sed 's/^reader: //') ($(( $(date +%s) - start )) s)"
else
    no "make reader failed: $(cat "$tmp/build.log")"
    echo "$pass passed, $fail failed"; exit 1
fi
# the generator refuses docs that disagree with rnn.h, naming the tag
mkdir -p "$tmp/docs"; cp docs/formulas.tsv docs/glossary.md docs/reading-paths.md docs/errata.md "$tmp/docs/"
cp "$tmp/broken1.tsv" "$tmp/docs/formulas.tsv"
if "$py" tools/reader.py --docs "$tmp/docs" --out "$tmp/site" > "$tmp/gen.log" 2>&1; then
    no "tools/reader.py built a site from docs without [lstm.forget]'s formula"
else
    grep -q 'lstm.forget' "$tmp/gen.log" && ok "tools/reader.py stops on a tag without its formula and names it" \
        || no "tools/reader.py failed without naming the tag: $(head -c 300 "$tmp/gen.log")"
fi
site=$(cd build/reader && pwd)
pages=$(cd build/reader && ls *.html | grep -v '^index.html$')
# one page holds every page of the site in a frame; each reports its checks
{
    printf '%s\n' '<!doctype html><html><body><pre id="out"></pre><script>' \
        'var got = [], out = document.getElementById("out");' \
        'window.addEventListener("message", function (e) { got.push(JSON.stringify(e.data)); out.textContent = "\n" + got.join("\n") + "\n"; });' \
        '</script>'
    for p in $pages index.html; do
        printf '<iframe width="1300" height="900" src="file://%s/%s?selfcheck%s"></iframe>\n' "$site" "$p" \
            "$([ "$p" = index.html ] && echo '#lstm.forget')"
    done
    printf '%s\n' '</body></html>'
} > "$tmp/all.html"
CHROME="chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars --enable-logging=stderr --v=0"
$CHROME --user-data-dir="$tmp/profile1" --virtual-time-budget=20000 --dump-dom "file://$tmp/all.html" > "$tmp/dom.html" 2> "$tmp/chrome.log"
grep -o '^{.*}$' "$tmp/dom.html" | sed 's/&quot;/"/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g' > "$tmp/reports"
npages=$(echo $pages | wc -w)
nrep=$(wc -l < "$tmp/reports")
[ "$nrep" -eq $((npages + 1)) ] && ok "all $npages pages checked themselves in headless $(chromium --version 2>/dev/null | grep -o 'Chromium [0-9.]*')" \
    || no "$nrep of $((npages + 1)) pages reported (chromium log: $(grep -v 'dbus\|unexpected operator' "$tmp/chrome.log" | head -c 400))"
fails=$(grep -o '"fail":\[[^]]*\]' "$tmp/reports" | grep -v '"fail":\[\]' | head -c 800)
[ -z "$fails" ] && ok "every page: formulas typeset with KaTeX's CSS and fonts, notation switch, clicks both ways, no script error" \
    || no "the pages found problems: $fails"
# every tag's anchor is on exactly one page, with its formula typeset
grep '"hash":""' "$tmp/reports" | grep -o '"page":"[^"]*"\|"tags":\[[^]]*\]' | tr -d '"[]' | sed 's/^page://; s/^tags://' | paste - - |
    awk -F'\t' '{ n = split($2, t, ","); for (i = 1; i <= n; i++) if (t[i] != "") print t[i] "\t" $1 }' | sort > "$tmp/placed"
cut -f1 "$tmp/placed" | sed 's/!$//' | sort | uniq -d > "$tmp/twice"
cut -f1 "$tmp/placed" | grep -v '!$' | sort -u > "$tmp/typeset"
notset=$(comm -23 "$tmp/tags" "$tmp/typeset" | tr '\n' ' ')
[ -z "$notset" ] && [ ! -s "$tmp/twice" ] && ok "each of the $ntags tags has its anchor on one page, its formula typeset" \
    || no "tags without a typeset formula: $notset; on two pages: $(tr '\n' ' ' < "$tmp/twice")"
home=$(grep '"hash":"#lstm.forget"' "$tmp/reports" | grep -o '"page":"[^"]*"' | cut -d'"' -f4)
want=$(awk -F'\t' '$1 == "lstm.forget" { print $2 }' "$tmp/placed")
[ -n "$home" ] && [ "$home" = "$want" ] && ok "index.html#lstm.forget opens $home, the page that computes it" \
    || no "index.html#lstm.forget opened '${home:-nothing}', not ${want:-the tag's page}"
console=$(grep 'CONSOLE' "$tmp/chrome.log" | head -c 600)
[ -z "$console" ] && ok "no page wrote to the console" || no "console messages: $console"
# the README's picture: the LSTM section, notation D2 (a frame: headless
# Chromium paints nothing in a screenshot of a page scrolled to an anchor)
printf '<!doctype html><html><body style="margin:0;overflow:hidden"><iframe style="border:0;width:1400px;height:900px" src="file://%s/%s?n=D2#lstm.input"></iframe></body></html>\n' \
    "$site" "$(awk -F'\t' '$1 == "lstm.input" { print $2 }' "$tmp/placed")" > "$tmp/shot.html"
rm -f build/reader/reader_lstm.png
$CHROME --user-data-dir="$tmp/profile2" --window-size=1400,900 --virtual-time-budget=5000 \
    --screenshot="$site/reader_lstm.png" "file://$tmp/shot.html" > /dev/null 2>&1
size=$(wc -c < build/reader/reader_lstm.png 2>/dev/null || echo 0)
# a blank page compresses to a few kB; the LSTM section is well over 100 kB
[ "$size" -gt 60000 ] && ok "screenshot of the LSTM formulas: build/reader/reader_lstm.png ($size bytes)" \
    || no "the screenshot of the LSTM section is missing or blank ($size bytes)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
