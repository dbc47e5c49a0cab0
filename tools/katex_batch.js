/* Typesets many formulas with KaTeX in one process (tools/reader.py runs it;
   one `katex` command per formula would start node a hundred times).
   It is the renderer of Debian's katex package, with the options of
   `katex --display-mode --fleqn`: reads [{"src": LaTeX, "display": bool}]
   as JSON on standard input, writes [{"html"}, or {"error"}] with the
   warnings KaTeX raised (an unknown symbol, a character it has no glyph
   metrics for), which reader.py treats as errors. */
"use strict";
const katex = require("katex");
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
    const out = JSON.parse(input).map((item) => {
        const warnings = [];
        const options = {
            displayMode: item.display, fleqn: true, throwOnError: true, output: "htmlAndMathml",
            strict: (code, msg) => { warnings.push(code + ": " + msg); return "ignore"; },
        };
        try {
            return { html: katex.renderToString(item.src, options), warnings: warnings };
        } catch (e) {
            return { error: String(e && e.message ? e.message : e), warnings: warnings };
        }
    });
    process.stdout.write(JSON.stringify({ version: katex.version, results: out }));
});
