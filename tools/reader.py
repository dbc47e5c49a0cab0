#!/usr/bin/env python3
"""Builds the annotated reader: rnn.h beside the slides' formulas, as static pages.

    python3 tools/reader.py [--out build/reader] [--node node]

One page per section of rnn.h (a section starts at a line "/* >>name"), in
the header's order. Each page puts the section's code on the right and, on
the left, level with the statement that computes it, every tagged formula
typeset as each deck prints it (docs/formulas.tsv), with the slide's title,
the deck's Spanish term (docs/glossary.md) and the erratum where the deck
differs from the code (docs/errata.md). The formulas are typeset here, once,
by the renderer of Debian's katex package (HTML + MathML, the output of
`katex --display-mode`; tools/katex_batch.js runs it once for all formulas),
so the pages need neither a script nor the network to show the mathematics;
KaTeX's CSS and fonts (fonts-katex) are copied next to them. Everything the pages need is read from the project
itself (rnn.h and docs/).

Tags are found the way tools/equations.awk finds them: [a.b] or [a-b] (or
one of the named one-word tags) in the implementation part. A tag's home is
its first occurrence that sits on a statement (on a code line, or in a
comment directly above one); the statement is highlighted there.
Exits 1 with a message naming the problem on any inconsistency (a tag without
a formula, a formula for a tag rnn.h does not have, a LaTeX error).
"""
import argparse
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTATIONS = ["D0", "D1", "D2", "D3", "D4", "rnn.h"]
NAMED_TAGS = {"tbptt", "deep", "birnn", "leaky", "skip", "onehot", "bleu", "teacher-forcing"}
TAG_RE = re.compile(r"\[([a-z0-9][A-Za-z0-9.-]*)\]")
MARKER_RE = re.compile(r"^/\*\s*>>([A-Za-z0-9_-]+)")
FUNC_RE = re.compile(r"^(RNNDEF|static) ")
ROW_GAP = 6  # tagged statements at most this many lines apart share a row
KEYWORDS = set("""auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned
void volatile while size_t uint64_t uint32_t int64_t uint8_t rnn_real RNNDEF""".split())


def die(msg):
    sys.stderr.write("reader: " + msg + "\n")
    sys.exit(1)


def is_tag(t):
    """The filter of tools/equations.awk: 'x-...' single letters are not
    tags; a tag has a dot or a dash, or is one of the named one-word tags."""
    if re.match(r"^[a-z]-", t):
        return False
    return ("." in t or "-" in t) or t in NAMED_TAGS


# ---------------------------------------------------------------- rnn.h

class Header:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.lines = f.read().split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        n = len(self.lines)
        self.impl = next((i for i, s in enumerate(self.lines) if s.startswith("#ifdef RNN_IMPLEMENTATION")), 0)
        # comment structure: for every line, its code outside comments, and for
        # every comment the line it opened on and the line it closed on
        self.code = [""] * n
        self.copen = [None] * n   # line where the comment covering (part of) this line opened
        in_c, start = False, None
        self.cend = {}            # opening line -> closing line
        for i, s in enumerate(self.lines):
            out, j = [], 0
            if in_c:
                self.copen[i] = start
            while j < len(s):
                if in_c:
                    k = s.find("*/", j)
                    if k < 0:
                        j = len(s)
                        break
                    self.cend[start] = i
                    in_c, j = False, k + 2
                else:
                    k1, k2 = s.find("/*", j), s.find("//", j)
                    q = s.find('"', j)
                    ks = [k for k in (k1, k2, q) if k >= 0]
                    if not ks:
                        out.append(s[j:])
                        break
                    k = min(ks)
                    if k == q:  # a string: copy it whole, so "/*" inside it is not a comment
                        e = k + 1
                        while e < len(s) and s[e] != '"':
                            e += 2 if s[e] == "\\" else 1
                        out.append(s[j:e + 1])
                        j = e + 1
                    elif k == k2:
                        out.append(s[j:k])
                        if self.copen[i] is None:
                            self.copen[i] = i
                        self.cend.setdefault(i, i)
                        j = len(s)
                        break
                    else:
                        out.append(s[j:k])
                        in_c, start = True, i
                        if self.copen[i] is None:
                            self.copen[i] = i
                        j = k + 2
            self.code[i] = "".join(out).rstrip()
        # functions (the rule of tools/equations.awk), in the implementation
        self.funcs = {}
        for i in range(self.impl, n):
            s = self.lines[i]
            if FUNC_RE.match(s) and "(" in s and not re.search(r";\s*$", s):
                name = re.sub(r"\(.*", "", s)
                name = re.split(r"[ *]", name)[-1]
                self.funcs.setdefault(name, i)
        # sections
        self.sections = []  # [name, [(start, end), ...]] in order of first appearance
        marks = [(i, MARKER_RE.match(s).group(1)) for i, s in enumerate(self.lines) if MARKER_RE.match(s)]
        if not marks:
            die("rnn.h has no section markers (lines starting '/* >>name')")
        self.intro = (0, marks[0][0])
        byname = {}
        for k, (i, name) in enumerate(marks):
            end = marks[k + 1][0] if k + 1 < len(marks) else n
            if name not in byname:
                byname[name] = [name, []]
                self.sections.append(byname[name])
            byname[name][1].append((i, end))
        self.section_of_line = [None] * n
        for name, parts in self.sections:
            for a, b in parts:
                for i in range(a, b):
                    self.section_of_line[i] = name
        # the contents list of the top comment: ">>name  description"
        self.contents = {}
        cur = None
        for i in range(0, marks[0][0]):
            s = self.lines[i]
            m = re.match(r"^\s+>>([A-Za-z0-9_-]+)\s+(.*)$", s)
            if m:
                cur = m.group(1)
                self.contents[cur] = m.group(2).strip()
            elif cur and re.match(r"^\s{6,}\S", s) and not s.strip().startswith(">>"):
                self.contents[cur] += " " + s.strip()
            else:
                cur = None

    def has_code(self, i):
        return 0 <= i < len(self.lines) and self.code[i].strip() != "" and not self.lines[i].lstrip().startswith("#")

    def ends_statement(self, i):
        c = self.code[i].strip()
        return c.endswith(";") or c.endswith("{") or c.endswith("}") or c.endswith(":")

    def statement(self, i):
        """The lines of the statement that line i belongs to."""
        a = i
        while a - 1 >= 0 and self.has_code(a - 1) and not self.ends_statement(a - 1) and i - a < 8:
            a -= 1
        b = i
        while not self.ends_statement(b) and b + 1 < len(self.lines) and b - i < 12:
            nxt = b + 1
            if self.lines[nxt].strip() == "" or self.lines[nxt].lstrip().startswith("#"):
                break
            b = nxt
        return a, b

    def block(self, i):
        """(start, end, tight) of the statement a tag on line i annotates."""
        o = self.copen[i]
        if o is None:  # the tag is in code?  (a string, say): the line itself
            a, b = self.statement(i)
            return a, b, True
        e = self.cend.get(o, i)
        if self.has_code(o):  # a comment that starts after code on its line
            a, b = self.statement(o)
            return min(a, o), max(b, e), True
        # a comment on lines of its own: the statement right below it
        j = e + 1
        tight = j < len(self.lines) and self.lines[j].strip() != ""
        while j < len(self.lines) and not self.has_code(j):
            j += 1
        if j >= len(self.lines):
            return o, e, False
        a, b = self.statement(j)
        return o, b, tight

    def prose(self, pa, pb):
        """The section prose of the part [pa, pb) that starts at a marker:
        (its lines, the first line of code after it). The prose is the rest
        of the marker's comment, or the comment right after the marker."""
        if "*/" not in self.lines[pa]:
            j = pa
            while j < pb and "*/" not in self.lines[j]:
                j += 1
            return self.lines[pa + 1:j + 1], j + 1
        j = pa + 1
        while j < pb and self.lines[j].strip() == "":
            j += 1
        if j < pb and self.lines[j].lstrip().startswith("/*") and self.copen[j] == j:
            e = self.cend.get(j, j)
            return self.lines[j:e + 1], e + 1
        return [], j

    def tags(self):
        """{tag: [line, ...]} for every occurrence, in order."""
        occ = {}
        for i, s in enumerate(self.lines):
            for m in TAG_RE.finditer(s):
                t = m.group(1)
                if is_tag(t):
                    occ.setdefault(t, []).append(i)
        return occ


# ---------------------------------------------------------------- docs

def read_formulas(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for k, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 8:
                die("%s:%d: %d columns, expected 8 (tag, notation, slide, line, errata, kind, note, source)" % (path, k, len(cols)))
            tag, nota, slide, ln, errata, kind, note, src = cols
            if nota not in NOTATIONS:
                die("%s:%d: notation %r is not one of %s" % (path, k, nota, " ".join(NOTATIONS)))
            if kind not in ("math", "words"):
                die("%s:%d: kind %r is neither math nor words" % (path, k, kind))
            rows.append(dict(tag=tag, n=nota, slide=slide if slide != "-" else "", line=ln,
                             errata=[] if errata == "-" else errata.split(","), kind=kind,
                             note="" if note == "-" else note, src=src, where="%s:%d" % (os.path.basename(path), k)))
    return rows


def md_table_rows(text):
    """The body rows of every markdown table, as lists of cells."""
    out = []
    for line in text.split("\n"):
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if all(re.match(r"^:?-+:?$", c) for c in cells):
            continue
        out.append(cells)
    return out


def read_glossary(path):
    """{tag: [(term, decks), ...]} from the table of docs/glossary.md (first
    column the term in quotes or italics, second the decks, last the tags)."""
    terms = {}
    with open(path, encoding="utf-8") as f:
        for cells in md_table_rows(f.read()):
            if len(cells) < 4 or cells[0].lower().startswith("the decks"):
                continue
            term = re.sub(r"[*_]", "", cells[0]).strip()
            decks = " ".join(sorted(set(re.findall(r"\bD[0-4]\b", cells[1]))))
            for t in re.findall(r"`([a-z0-9][A-Za-z0-9.-]*)`", cells[-1]):
                terms.setdefault(t, []).append((term, decks))
    return terms


def read_errata(path):
    """{number: (title, anchor)} from the summary table and the numbered list."""
    out = {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for cells in md_table_rows(text):
        if len(cells) >= 4 and re.match(r"^\d+$", cells[0]):
            m = re.match(r"^\[(.*)\]\((#[^)]*)\)$", cells[2])
            if m:
                out[cells[0]] = (m.group(1), m.group(2), cells[3])
    sec = "#typos-names-and-wording"
    for m in re.finditer(r"^(\d+)\. (?:<a id=\"([^\"]+)\"></a>)?\*\*(.+?)\*\*", text, re.M | re.S):
        num, anchor, title = m.group(1), m.group(2), re.sub(r"\s+", " ", m.group(3)).rstrip(".")
        if num not in out:
            out[num] = (title, "#" + anchor if anchor else sec, "no formula changes")
    return out


def read_paths(path):
    """[(deck heading, [row cells])] from the per-deck tables of docs/reading-paths.md."""
    decks, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^## (D[0-4].*)$", line.rstrip())
            if m:
                cur = (m.group(1), [])
                decks.append(cur)
            elif cur and line.startswith("| ") and re.match(r"^\| \d+ \|", line):
                cur[1].append([c.strip() for c in re.split(r"(?<!\\)\|", line.rstrip())[1:-1]])
    return decks


# ---------------------------------------------------------------- KaTeX

def render_all(items, node, cache):
    """{(latex, display): html} for every item, typeset by Debian's KaTeX
    (tools/katex_batch.js, one node process for all of them), cached by
    content under cache/."""
    os.makedirs(cache, exist_ok=True)
    out, todo = {}, []
    for item in sorted(set(items)):
        key = hashlib.sha1(("v1\0%d\0%s" % (item[1], item[0])).encode()).hexdigest()
        p = os.path.join(cache, key + ".html")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                out[item] = f.read()
        else:
            todo.append((item, p))
    if not todo:
        return out
    env = dict(os.environ)
    if os.path.isdir("/usr/share/nodejs"):  # Debian's modules, for a node that does not look there
        env["NODE_PATH"] = "/usr/share/nodejs" + (":" + env["NODE_PATH"] if env.get("NODE_PATH") else "")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "katex_batch.js")
    try:
        r = subprocess.run([node, script], input=json.dumps([{"src": s, "display": bool(d)} for (s, d), _ in todo]).encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    except OSError as e:
        die("cannot run %s (%s): install katex (apt-get install katex fonts-katex)" % (node, e))
    if r.returncode != 0:
        die("KaTeX did not run: %s\n  (apt-get install katex fonts-katex)" % r.stderr.decode(errors="replace").strip()[-600:])
    res = json.loads(r.stdout.decode())
    bad = []
    for ((src, d), p), got in zip(todo, res["results"]):
        if "error" in got or got["warnings"] or "katex-error" in got.get("html", ""):
            bad.append("  %s\n    %s" % (src, "; ".join(([got["error"]] if "error" in got else []) + got["warnings"]) or "rendered as an error"))
            continue
        with open(p, "w", encoding="utf-8") as f:
            f.write(got["html"])
        out[(src, d)] = got["html"]
    if bad:
        die("KaTeX %s could not typeset %d formula(s), or warned:\n%s" % (res.get("version", "?"), len(bad), "\n".join(bad)))
    return out


# ---------------------------------------------------------------- HTML

def esc(s):
    return html.escape(s, quote=True)


def inline_math(text, rendered_inline):
    """Words of a deck with $...$ pieces typeset."""
    parts = text.split("$")
    out = []
    for k, p in enumerate(parts):
        out.append(rendered_inline[p] if k % 2 else esc(p))
    return "".join(out)


def highlight(lines, first, ctx):
    """HTML of C lines (numbered from first), comments and keywords marked,
    [tags] and rnn_ names linked."""
    out = []
    in_c = ctx["in_comment"]
    tok = re.compile(r'/\*|//|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|[A-Za-z_]\w*|\d[\w.]*|.', re.S)
    for s in lines:
        res, j = [], 0
        if s.lstrip().startswith("#") and not in_c:
            res.append('<span class="pp">%s</span>' % link_comment(esc(s), ctx))
            out.append("".join(res))
            continue
        while j < len(s):
            if in_c:
                k = s.find("*/", j)
                e = len(s) if k < 0 else k + 2
                res.append('<span class="c">%s</span>' % link_comment(esc(s[j:e]), ctx))
                if k >= 0:
                    in_c = False
                j = e
                continue
            m = tok.match(s, j)
            t = m.group(0)
            if t == "/*":
                in_c = True
                k = s.find("*/", j + 2)
                e = len(s) if k < 0 else k + 2
                res.append('<span class="c">%s</span>' % link_comment(esc(s[j:e]), ctx))
                if k >= 0:
                    in_c = False
                j = e
                continue
            if t == "//":
                res.append('<span class="c">%s</span>' % link_comment(esc(s[j:]), ctx))
                break
            if t[0] in "\"'":
                res.append('<span class="s">%s</span>' % esc(t))
            elif t in KEYWORDS:
                res.append('<span class="k">%s</span>' % t)
            elif re.match(r"\d", t):
                res.append('<span class="n">%s</span>' % esc(t))
            else:
                res.append(esc(t))
            j = m.end()
        out.append("".join(res))
    ctx["in_comment"] = in_c
    return out


def link_comment(h, ctx):
    def rep(m):
        t = m.group(1)
        if t in ctx["tag_page"]:
            return '[<a class="tagref" href="%s">%s</a>]' % (ctx["href_tag"](t), t)
        return m.group(0)
    return TAG_RE.sub(rep, h)


def prose_html(comment_lines, ctx):
    """A section's prose comment as paragraphs; indented blocks stay preformatted."""
    text = [re.sub(r"^\s*/\*+", "", s) for s in comment_lines]
    text = [re.sub(r"\*/\s*$", "", s).rstrip() for s in text]
    text = [re.sub(r"^=+\s*$", "", s) for s in text]
    ind = [len(s) - len(s.lstrip()) for s in text if s.strip()]
    base = min(ind) if ind else 0
    paras, cur = [], []
    for s in text + [""]:
        if s.strip():
            cur.append(s[base:] if len(s) >= base else s.strip())
        elif cur:
            paras.append(cur)
            cur = []
    out = []
    for p in paras:
        if any(l.startswith("  ") for l in p[1:]) or all(l.startswith("  ") for l in p):
            out.append('<pre class="prose">%s</pre>' % link_comment(esc("\n".join(p)), ctx))
        else:
            out.append("<p>%s</p>" % link_comment(esc(" ".join(l.strip() for l in p)), ctx))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--header", default=os.path.join(ROOT, "rnn.h"))
    ap.add_argument("--docs", default=os.path.join(ROOT, "docs"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "reader"))
    ap.add_argument("--cache", default=None, help="typeset formulas are kept here (default OUT-cache)")
    ap.add_argument("--node", default="node", help="the node that runs Debian's KaTeX")
    ap.add_argument("--katex-dist", default="/usr/share/javascript/katex",
                    help="where katex.min.css and fonts/ are (Debian's libjs-katex)")
    a = ap.parse_args()
    out_dir = os.path.abspath(a.out)
    cache = a.cache or out_dir.rstrip("/") + "-cache"

    H = Header(a.header)
    occ = H.tags()
    formulas = read_formulas(os.path.join(a.docs, "formulas.tsv"))
    glossary = read_glossary(os.path.join(a.docs, "glossary.md"))
    errata = read_errata(os.path.join(a.docs, "errata.md"))
    paths = read_paths(os.path.join(a.docs, "reading-paths.md"))

    # ---- every tag of rnn.h has its formulas, and every formula its tag
    impl_tags = {t: [i for i in ls if i >= H.impl] for t, ls in occ.items()}
    tags = [t for t in sorted(impl_tags, key=lambda t: impl_tags[t][0] if impl_tags[t] else 10 ** 9) if impl_tags[t]]
    by_tag = {}
    for r in formulas:
        by_tag.setdefault(r["tag"], []).append(r)
    problems = []
    for t in tags:
        if t not in by_tag:
            problems.append("tag [%s] of rnn.h has no formula in docs/formulas.tsv" % t)
        elif not any(r["n"] == "rnn.h" for r in by_tag[t]):
            problems.append("tag [%s] has no rnn.h row in docs/formulas.tsv" % t)
    for t in by_tag:
        if t not in impl_tags or not impl_tags[t]:
            problems.append("docs/formulas.tsv has formulas for [%s], which rnn.h does not compute" % t)
    for r in formulas:
        for e in r["errata"]:
            if e not in errata:
                problems.append("%s: erratum %s is not in docs/errata.md" % (r["where"], e))
    for t in glossary:
        if t not in impl_tags:
            problems.append("docs/glossary.md names [%s], which rnn.h does not have" % t)
    if problems:
        die("\n  ".join(["the docs and rnn.h disagree:"] + problems))

    # ---- each tag's home: its first occurrence on a statement, not counting
    # a mention in a section's opening prose (unless it is the only one)
    in_prose = set()
    for name, parts in H.sections:
        for pa, pb in parts:
            lines, code_from = H.prose(pa, pb)
            if lines:
                in_prose.update(range(code_from - len(lines), code_from))
    home = {}
    for t in tags:
        cands = [(i,) + H.block(i) for i in impl_tags[t]]
        best = [c for c in cands if c[3] and c[0] not in in_prose] or [c for c in cands if c[3]] or cands
        i, s, e, _ = best[0]
        home[t] = (i, s, e)

    # ---- pages
    pages = []  # (name, file, title)
    for name, parts in H.sections:
        pages.append((name, name + ".html", H.contents.get(name, "")))
    page_of_line = {}
    for name, parts in H.sections:
        for a_, b_ in parts:
            for i in range(a_, b_):
                page_of_line[i] = name + ".html"
    tag_page = {t: page_of_line.get(home[t][0], pages[0][1]) for t in tags}
    func_page = {f: page_of_line.get(i) for f, i in H.funcs.items()}

    # ---- typeset
    sources, inl = [], []
    for r in formulas:
        if r["kind"] == "math":
            sources.append(r["src"])
        else:
            inl += r["src"].split("$")[1::2]
    got = render_all([(s, 1) for s in sources] + [(s, 0) for s in inl], a.node, cache)
    rendered = {s: got[(s, 1)] for s in sources}
    rendered_inline = {s: '<span class="inl">%s</span>' % got[(s, 0)] for s in inl}

    # ---- assets
    if os.path.isdir(out_dir):
        for f in os.listdir(out_dir):
            if f.endswith(".html"):
                os.remove(os.path.join(out_dir, f))
    os.makedirs(out_dir, exist_ok=True)
    kdir = os.path.join(out_dir, "katex")
    if os.path.isdir(kdir):
        shutil.rmtree(kdir)
    os.makedirs(kdir)
    css = os.path.join(a.katex_dist, "katex.min.css")
    if not os.path.exists(css):
        die("no %s: install fonts-katex and katex (apt-get install katex fonts-katex)" % css)
    shutil.copy(css, kdir)
    shutil.copytree(os.path.realpath(os.path.join(a.katex_dist, "fonts")), os.path.join(kdir, "fonts"))
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "reader.css"), out_dir)
    shutil.copy(os.path.join(here, "reader.js"), out_dir)
    docs_rel = os.path.relpath(os.path.abspath(a.docs), out_dir)

    def href_tag(t, cur=None):
        p = tag_page[t]
        return ("#" if p == cur else p + "#") + t

    def card(t, cur):
        rows = by_tag[t]
        has = sorted({r["n"] for r in rows})
        cls = " ".join("has-" + n.replace(".", "") for n in has)
        terms = glossary.get(t, [])
        es = ('<span class="es" lang="es" title="the decks\' terms (docs/glossary.md)">%s</span>'
              % " &#183; ".join(esc(term) for term, _ in terms)) if terms else ""
        h = ['<div class="card %s" id="%s" data-tag="%s">' % (cls, esc(t), esc(t)),
             '<div class="cardhead"><a class="tag" href="#%s">[%s]</a>%s'
             '<a class="tocode" href="#code-%s" title="the statement that computes it">code &#8594;</a></div>'
             % (esc(t), esc(t), es, esc(t))]
        order = {n: k for k, n in enumerate(NOTATIONS)}
        for r in sorted(rows, key=lambda r: (order[r["n"]] if r["n"] != "rnn.h" else -1)):
            n = r["n"]
            label = "rnn.h / PyTorch" if n == "rnn.h" else n
            src = '<span class="deck">%s</span>' % esc(label)
            if r["slide"]:
                src += ' <span class="slide" title="the slide\'s title%s">&#8220;%s&#8221;</span>' % (
                    (", line %s of the deck's text" % r["line"]) if r["line"] not in ("", "-") else "", esc(r["slide"]))
            body = rendered[r["src"]] if r["kind"] == "math" else \
                '<blockquote class="words" lang="es">%s</blockquote>' % inline_math(r["src"], rendered_inline)
            v = ['<div class="v" data-n="%s">' % esc(n), '<div class="src">%s</div>' % src, body]
            if r["note"]:
                v.append('<div class="note">%s</div>' % esc(r["note"]))
            for e in r["errata"]:
                title, anchor, kind = errata[e]
                v.append('<div class="erratum">Erratum %s (%s): <a href="%s/errata.md%s">%s</a></div>'
                         % (esc(e), esc(kind), esc(docs_rel), esc(anchor), esc(title)))
            v.append("</div>")
            h.append("\n".join(v))
        h.append('<div class="absent">This deck does not write this formula: here it is in rnn.h\'s notation.</div>')
        h.append("</div>")
        return "\n".join(h)

    nav_sel = "".join('<button type="button" data-n="%s">%s</button>' % (n, "rnn.h / PyTorch" if n == "rnn.h" else n)
                      for n in ["all"] + NOTATIONS)

    def page_head(title, cur):
        links = " ".join('<a href="%s"%s>%s</a>' % (f, ' class="cur"' if f == cur else "", esc(n))
                         for n, f, _ in pages)
        return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>%s</title><link rel=\"stylesheet\" href=\"katex/katex.min.css\">"
                "<link rel=\"stylesheet\" href=\"reader.css\"></head>\n<body data-n=\"all\">\n"
                "<header><a class=\"home\" href=\"index.html\">rnn.h beside the slides</a>"
                "<nav class=\"sections\">%s</nav>"
                "<div class=\"notation\" role=\"group\" aria-label=\"notation\">notation: %s</div></header>\n"
                % (esc(title), links, nav_sel))

    foot = '<script src="reader.js"></script>\n</body></html>\n'
    tag_index = {}
    ctx = {"tag_page": tag_page, "in_comment": False}

    for k, (name, fname, title) in enumerate(pages):
        parts = dict(H.sections)[name]
        ctx["href_tag"] = lambda t, cur=fname: href_tag(t, cur)
        body = [page_head("rnn.h >>%s" % name, fname), '<main class="page">']
        if not title:  # not in the contents list: the first sentence of the section's prose
            first = H.lines[parts[0][0]:parts[0][0] + 12]
            j = next((q for q, l in enumerate(first[1:], 1) if l.strip() and not l.strip().startswith("*/")), None)
            if j is not None:
                m = re.match(r"^\s*(?:/\*+)?\s*(.*?)(?:\.(?:\s|$)|\*/|$)", first[j])
                title = m.group(1).strip() if m else ""
            pages[k] = (name, fname, title)
        body.append('<h1><span class="anchor">&gt;&gt;%s</span> %s</h1>' % (esc(name), esc(title)))
        for pa, pb in parts:
            # the prose: the comment on or right after the marker line
            prose_lines, code_from = H.prose(pa, pb)
            # the rows: one starts at each home block of this part
            groups = []
            for t in tags:
                hi, s, e = home[t]
                if pa <= hi < pb:
                    s = max(s, code_from)
                    groups.append([s, e, [t]])
            groups.sort()
            blocks = []  # the highlighted statements: overlapping blocks merged
            for g in groups:
                if blocks and g[0] <= blocks[-1][1]:
                    blocks[-1][1] = max(blocks[-1][1], g[1])
                    blocks[-1][2] = blocks[-1][2] + g[2]
                else:
                    blocks.append([g[0], g[1], list(g[2])])
            merged = []
            for g in groups:  # overlapping blocks, or blocks a few lines apart, share a row
                if merged and g[0] <= merged[-1][1] + ROW_GAP:
                    merged[-1][1] = max(merged[-1][1], g[1])
                    merged[-1][2] = merged[-1][2] + g[2]
                else:
                    merged.append([g[0], g[1], list(g[2])])
            bounds = [code_from] + [g[0] for g in merged if g[0] > code_from] + [pb]
            bounds = sorted(set(bounds))
            ctx["in_comment"] = False
            # the highlighter needs the comment state at code_from
            ctx["in_comment"] = H.copen[code_from] is not None and H.copen[code_from] < code_from \
                if code_from < len(H.lines) else False
            for r in range(len(bounds) - 1):
                ra, rb = bounds[r], bounds[r + 1]
                left = []
                if r == 0 and prose_lines:
                    left.append('<div class="prose">%s</div>' % prose_html(prose_lines, ctx))
                hl = {}
                for g in merged:
                    if ra <= g[0] < rb or (r == 0 and g[0] < ra):
                        for t in g[2]:
                            left.append(card(t, fname))
                            tag_index[t] = fname
                for g in blocks:
                    if ra <= g[0] < rb or (r == 0 and g[0] < ra):
                        hl[max(g[0], ra)] = g
                code_html = highlight(H.lines[ra:rb], ra, ctx)
                lines_out, i = [], ra
                while i < rb:
                    if i in hl:
                        g = hl[i]
                        e = min(g[1], rb - 1)
                        anchors = "".join('<span class="codeanchor" id="code-%s"></span>' % esc(t) for t in g[2])
                        inner = "".join(num_line(q, code_html[q - ra], H) for q in range(i, e + 1))
                        lines_out.append('<span class="hl" data-tags="%s" title="computes %s">%s%s</span>'
                                         % (esc(" ".join(g[2])), esc(", ".join("[%s]" % t for t in g[2])), anchors, inner))
                        i = e + 1
                    else:
                        lines_out.append(num_line(i, code_html[i - ra], H))
                        i += 1
                body.append('<div class="row"><div class="left">%s</div><div class="right"><pre class="code">%s</pre></div></div>'
                            % ("\n".join(left), "".join(lines_out)))
        prev_ = pages[k - 1] if k > 0 else None
        next_ = pages[k + 1] if k + 1 < len(pages) else None
        body.append('<nav class="pager">%s%s</nav>' % (
            '<a href="%s">&#8592; &gt;&gt;%s</a>' % (prev_[1], esc(prev_[0])) if prev_ else "",
            '<a class="next" href="%s">&gt;&gt;%s &#8594;</a>' % (next_[1], esc(next_[0])) if next_ else ""))
        body.append("</main>")
        body.append(foot)
        with open(os.path.join(out_dir, fname), "w", encoding="utf-8") as f:
            f.write("\n".join(body))

    # ---- the index: sections, reading paths per deck, every tag
    idx = [page_head("rnn.h beside the slides", "index.html"), '<main class="index">',
           "<h1>rnn.h, read beside the slides</h1>",
           "<p>Every formula of the course is a line of <code>rnn.h</code>. Each page below is one section of the "
           "header, in the header's order: the code on the right, and on the left, level with the statement that "
           "computes it, the formula typeset as each deck prints it, with the slide's title, the deck's Spanish "
           "term and, where the deck differs from the code, the erratum. Pick your deck with <em>notation</em> "
           "above (the choice is remembered); click a formula to see its code, a highlighted statement to see its "
           "formula. Every tag has a stable address: <code>index.html#lstm.forget</code> opens the page that computes "
           "it. Built by <code>make reader</code> from <code>rnn.h</code> and <code>docs/</code>.</p>",
           '<h2 id="sections">Sections</h2><table class="toc"><tr><th>section</th><th>what</th><th>formulas</th></tr>']
    for name, fname, title in pages:
        ts = [t for t in tags if tag_page[t] == fname]
        idx.append('<tr><td><a href="%s">&gt;&gt;%s</a></td><td>%s</td><td>%s</td></tr>' % (
            fname, esc(name), esc(title), " ".join('<a class="tagref" href="%s#%s">%s</a>' % (fname, esc(t), esc(t)) for t in ts)))
    idx.append("</table>")
    idx.append('<h2 id="paths">Reading paths, one per deck</h2><p>From '
               '<a href="%s/reading-paths.md">docs/reading-paths.md</a>: what to read in rnn.h, in which order, '
               'beside which slides.</p>' % esc(docs_rel))

    def linkify_cell(c):
        h = esc(c)
        def rep(m):
            w = m.group(1)
            if w in func_page and func_page[w]:
                return '<a class="fn" href="%s#%s"><code>%s</code></a>' % (func_page[w], w, w)
            tg = w[1:-1] if w.startswith("[") and w.endswith("]") else w
            if tg in tag_page:
                return '[<a class="tagref" href="%s#%s">%s</a>]' % (tag_page[tg], tg, tg)
            m2 = re.match(r"^&gt;&gt;([A-Za-z0-9_-]+)$", w)
            if m2 and any(n == m2.group(1) for n, _, _ in pages):
                return '<a href="%s.html"><code>%s</code></a>' % (m2.group(1), w)
            return "<code>%s</code>" % w
        return re.sub(r"`([^`]+)`", rep, h)
    for head, rows in paths:
        idx.append('<h3>%s</h3><table class="path"><tr><th>#</th><th>beside the slides</th><th>read in rnn.h</th><th>section</th></tr>' % esc(head))
        for cells in rows:
            idx.append("<tr>%s</tr>" % "".join("<td>%s</td>" % linkify_cell(c) for c in cells[:4]))
        idx.append("</table>")
    idx.append('<h2 id="tags">Every tag</h2><table class="tags"><tr><th>tag</th><th>decks</th><th>the decks\' term</th></tr>')
    for t in sorted(tags):
        decks = sorted({r["n"] for r in by_tag[t]} - {"rnn.h"})
        idx.append('<tr><td><a class="tagref" href="%s#%s">%s</a></td><td>%s</td><td lang="es">%s</td></tr>' % (
            tag_page[t], esc(t), esc(t), " ".join(decks), esc(", ".join(term for term, _ in glossary.get(t, [])))))
    idx.append("</table>")
    top = H.lines[H.intro[0]:H.intro[1]]
    idx.append('<h2 id="manual">The top comment of rnn.h</h2><pre class="code manual">%s</pre>' % link_comment(esc("\n".join(top)), ctx))
    idx.append("</main>")
    idx.append('<script>window.READER_TAGS = %s;</script>' % json.dumps(tag_page, sort_keys=True))
    idx.append(foot)
    with open(os.path.join(out_dir, "index.html"), "w", encoding="utf-8") as f:
        f.write("\n".join(idx))

    # the numbers the note asks for
    cover = {n: sum(1 for t in tags if any(r["n"] == n for r in by_tag[t])) for n in NOTATIONS}
    typeset = {n: sum(1 for t in tags if any(r["n"] == n and r["kind"] == "math" for r in by_tag[t])) for n in NOTATIONS}
    print("reader: %d pages + index in %s, %d tags, %d formulas typeset (%d deck quotes in words)"
          % (len(pages), os.path.relpath(out_dir), len(tags), len(set(sources)),
             sum(1 for r in formulas if r["kind"] == "words")))
    print("reader: tags per notation (typeset as a formula): " +
          ", ".join("%s %d (%d)" % (n, cover[n], typeset[n]) for n in NOTATIONS))


def num_line(i, h, H):
    fid = ""
    s = H.lines[i]
    if FUNC_RE.match(s) and "(" in s and not re.search(r";\s*$", s) and i >= H.impl:
        name = re.split(r"[ *]", re.sub(r"\(.*", "", s))[-1]
        if H.funcs.get(name) == i:
            fid = ' id="%s"' % esc(name)
    return '<span class="l"%s><span class="ln">%d</span>%s\n</span>' % (fid, i + 1, h)


if __name__ == "__main__":
    main()
