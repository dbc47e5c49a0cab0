/* The reader's behaviour (tools/reader.py). The mathematics is already
   typeset in the page; this only switches the notation, links a formula and
   its statement both ways, and (with ?selfcheck) checks the page. */
(function () {
    "use strict";
    var NOTATIONS = ["all", "D0", "D1", "D2", "D3", "D4", "rnn.h"];
    var body = document.body;

    function setNotation(n, remember) {
        if (NOTATIONS.indexOf(n) < 0) return;
        body.setAttribute("data-n", n);
        var bs = document.querySelectorAll(".notation button");
        for (var i = 0; i < bs.length; i++) bs[i].setAttribute("aria-pressed", bs[i].getAttribute("data-n") === n ? "true" : "false");
        if (remember) { try { localStorage.setItem("rnnh-notation", n); } catch (e) { /* file:// without storage */ } }
    }
    var q = /[?&]n=([^&#]+)/.exec(location.search), saved = null;
    try { saved = localStorage.getItem("rnnh-notation"); } catch (e) { saved = null; }
    setNotation(q ? decodeURIComponent(q[1]) : (saved || "all"), false);
    document.querySelector(".notation").addEventListener("click", function (ev) {
        var n = ev.target.getAttribute && ev.target.getAttribute("data-n");
        if (n) setNotation(n, true);
    });

    /* index.html#tag: go to the page that computes the tag */
    if (window.READER_TAGS) {
        var t = decodeURIComponent(location.hash.slice(1));
        if (t && window.READER_TAGS[t]) { location.replace(window.READER_TAGS[t] + location.search + "#" + t); return; }
    }

    function mark(tag) {
        var old = document.querySelectorAll(".active");
        for (var i = 0; i < old.length; i++) old[i].classList.remove("active");
        var c = document.getElementById(tag), a = document.getElementById("code-" + tag);
        if (c) c.classList.add("active");
        if (a && a.parentNode) a.parentNode.classList.add("active");
        return [c, a && a.parentNode];
    }
    /* a formula shows its statement; a statement shows its formula */
    document.addEventListener("click", function (ev) {
        var el = ev.target;
        if (el.closest && el.closest("a")) return;
        var card = el.closest && el.closest(".card");
        var hl = el.closest && el.closest(".hl");
        if (card) {
            var got = mark(card.getAttribute("data-tag"));
            if (got[1]) got[1].scrollIntoView({ block: "center" });
        } else if (hl) {
            var tag = hl.getAttribute("data-tags").split(" ")[0];
            location.hash = tag;
        }
    });
    function onHash() {
        var tag = decodeURIComponent(location.hash.slice(1));
        if (tag.indexOf("code-") === 0) tag = tag.slice(5);
        var got = mark(tag);
        if (got[0] && location.hash.indexOf("#code-") !== 0) got[0].scrollIntoView({ block: "center" });
    }
    window.addEventListener("hashchange", onHash);
    if (location.hash) onHash();

    /* ?selfcheck: check this page and report to the window that opened it */
    if (!/[?&]selfcheck\b/.test(location.search)) return;
    var errors = [], startHash = location.hash;
    window.addEventListener("error", function (e) { errors.push("error: " + e.message); });
    function visibleText(card) {
        var vs = card.querySelectorAll(".v, .absent"), s = "";
        for (var i = 0; i < vs.length; i++) if (vs[i].offsetParent !== null) s += vs[i].textContent + "|";
        return s;
    }
    function check() {
        var r = { page: location.pathname.split("/").pop(), hash: startHash, fail: [], tags: [], formulas: 0, fonts: [] };
        var cards = document.querySelectorAll(".card");
        if (document.querySelectorAll(".katex-error").length) r.fail.push("KaTeX error nodes: " + document.querySelectorAll(".katex-error").length);
        var ks = document.querySelectorAll(".katex");
        for (var i = 0; i < ks.length; i++) {
            if (!ks[i].querySelector(".katex-mathml math") || !ks[i].querySelector(".katex-html")) r.fail.push("a formula without MathML or HTML");
        }
        r.formulas = ks.length;
        /* the KaTeX stylesheet is loaded (a formula's struts have a height) */
        var strut = document.querySelector(".katex .strut");
        if (ks.length && (!strut || strut.getBoundingClientRect().height <= 0)) r.fail.push("KaTeX's CSS did not apply");
        for (i = 0; i < cards.length; i++) {
            var c = cards[i], tag = c.getAttribute("data-tag");
            var v = c.querySelector('.v[data-n="rnn.h"]');
            var ok = v && v.querySelector(".katex") && !v.querySelector(".katex-error");
            var code = document.getElementById("code-" + tag);
            if (!code) r.fail.push(tag + ": no statement on this page");
            if (document.getElementById(tag) !== c) r.fail.push(tag + ": its anchor is not its formula");
            r.tags.push(tag + (ok ? "" : "!"));
            if (!ok) r.fail.push(tag + ": rnn.h's formula is not typeset");
        }
        /* the notation switch changes what each formula shows */
        var seen = {}, n, k;
        for (k = 0; k < NOTATIONS.length; k++) {
            n = NOTATIONS[k];
            document.querySelector('.notation button[data-n="' + n + '"]').click();
            if (body.getAttribute("data-n") !== n) r.fail.push("the " + n + " button does not switch");
            for (i = 0; i < cards.length; i++) {
                var txt = visibleText(cards[i]), id = cards[i].getAttribute("data-tag");
                if (!txt) r.fail.push(id + ": nothing shown in notation " + n);
                var own = cards[i].querySelector('.v[data-n="' + n + '"]');
                if (own && own.offsetParent === null) r.fail.push(id + ": its " + n + " formula is hidden in notation " + n);
                (seen[id] = seen[id] || {})[n] = txt;
            }
        }
        for (i = 0; i < cards.length; i++) {
            var idc = cards[i].getAttribute("data-tag"), texts = {}, count = 0;
            var decks = cards[i].querySelectorAll(".v").length;
            for (k = 0; k < NOTATIONS.length; k++) texts[seen[idc][NOTATIONS[k]]] = 1;
            for (var key in texts) if (Object.prototype.hasOwnProperty.call(texts, key)) count++;
            if (decks > 1 && count < 2) r.fail.push(idc + ": the notation switch does not change it");
        }
        document.querySelector('.notation button[data-n="all"]').click();
        /* clicking a statement goes to its formula */
        var hls = document.querySelectorAll(".hl");
        for (i = 0; i < hls.length; i++) {
            var want = hls[i].getAttribute("data-tags").split(" ")[0];
            hls[i].querySelector(".l").click();
            if (decodeURIComponent(location.hash.slice(1)) !== want) r.fail.push("clicking the statement of " + want + " does not show its formula");
            if (!document.getElementById(want)) r.fail.push(want + ": the statement's formula is missing");
        }
        /* clicking a formula marks its statement */
        for (i = 0; i < cards.length; i++) {
            cards[i].querySelector(".src").click();
            var st = document.getElementById("code-" + cards[i].getAttribute("data-tag"));
            if (st && !st.parentNode.classList.contains("active")) r.fail.push(cards[i].getAttribute("data-tag") + ": clicking the formula does not mark its statement");
        }
        document.fonts.forEach(function (f) {
            if (f.status === "error") r.fail.push("font failed to load: " + f.family);
            if (f.status === "loaded") r.fonts.push(f.family);
        });
        if (ks.length && r.fonts.indexOf("KaTeX_Main") < 0) r.fail.push("KaTeX_Main was not loaded");
        r.fail = r.fail.concat(errors);
        var pre = document.createElement("pre");
        pre.id = "selfcheck";
        pre.textContent = JSON.stringify(r);
        body.appendChild(pre);
        if (window.parent !== window) window.parent.postMessage(r, "*");
    }
    document.fonts.ready.then(function () { setTimeout(check, 50); });
})();
