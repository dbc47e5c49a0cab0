/* grader.h - what every exercise's checks share.

   A check is a function that builds one random case, calls the student's
   function and rnn.h's own on the same numbers, and compares. Each check
   runs in a child process (fork), so a segmentation fault, an abort or an
   endless loop in the student's code ends that check only, and is reported
   as such; the next check runs as if nothing happened.

   The output is for a student: one line per check, ok or FAIL; under a
   FAIL, the first wrong number (tensor, index, got, expected), a diagnosis
   when the wrong numbers are exactly those of a known mistake, and a hint
   with the formula; at the end "5 of 8 passed". With --brief, one line per
   exercise (make exercises). */
#ifndef EX_GRADER_H
#define EX_GRADER_H
#define _POSIX_C_SOURCE 200809L /* fork, pipe, alarm: before any #include */
#include "../exercises.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <math.h>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>
#define EX_FORK 1
#endif

#define EX_SECONDS 10          /* a check that takes longer is stopped (the
                                  environment's EX_TIMEOUT overrides it)    */
#define EX_UNSET (-7.25e+77)   /* what an output holds before the call      */
#define EX_FENCE 31337.0       /* what lies just outside every output array */
#define EX_GUARD 16            /* numbers of fence on each side             */

typedef int (*ex_fn)(const void *arg); /* 1: passed, 0: failed (it said why) */

static struct {
    const char *name, *file;
    int brief, run, passed, fd;
    char first[200], report[400]; /* --brief: the first failed check, what it said */
} ex__g = {0, 0, 0, 0, 0, -1, {0}, {0}};

/* ---- what a check says (under its FAIL line) ---- */
static void ex_say(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
#ifdef EX_FORK
    if (ex__g.fd >= 0) { ssize_t w = write(ex__g.fd, buf, (size_t)n); (void)w; return; }
#endif
    fputs(buf, stdout);
}

/* a hint: the formula and the usual mistakes */
static void ex_hint(const char *text) { ex_say("hint: %s\n", text); }

/* ---- random numbers ---- */
static void ex_rand(double *v, size_t n, double scale, rnn_rng *r)
{
    size_t i;
    for (i = 0; i < n; i++) v[i] = scale * (2 * rnn_rng_uniform(r) - 1);
}

/* An input array of n numbers (malloc'd; the child process ends soon). */
static double *ex_new(size_t n)
{
    double *p = (double *)malloc(sizeof(double) * (n ? n : 1));
    if (!p) { ex_say("the grader ran out of memory\n"); exit(3); }
    memset(p, 0, sizeof(double) * (n ? n : 1));
    return p;
}
static double *ex_new_rand(size_t n, double scale, rnn_rng *r)
{
    double *p = ex_new(n);
    ex_rand(p, n, scale, r);
    return p;
}
static double *ex_copy(const double *v, size_t n)
{
    double *p = ex_new(n);
    memcpy(p, v, sizeof(double) * n);
    return p;
}

/* An output array of n numbers, each EX_UNSET, with EX_GUARD numbers of
   fence on each side: ex_fenced() then tells whether the student wrote
   outside the array (a wrong size or index). */
static double *ex_out(size_t n)
{
    double *p = ex_new(n + 2 * EX_GUARD);
    size_t i;
    for (i = 0; i < n + 2 * EX_GUARD; i++) p[i] = i < EX_GUARD || i >= n + EX_GUARD ? EX_FENCE : EX_UNSET;
    return p + EX_GUARD;
}
/* the same, holding a copy of v (for outputs that are added to, +=) */
static double *ex_out_copy(const double *v, size_t n)
{
    double *p = ex_out(n);
    memcpy(p, v, sizeof(double) * n);
    return p;
}

/* ---- tensors and how their elements are named ---- */
typedef struct ex_tensor {
    const char *name;   /* the parameter's name: "h", "dW_hh"                */
    int rows, cols;     /* (rows, cols) row-major; a vector has rows = 1      */
    const char *gates;  /* "i f g o": the columns are blocks of H, so named   */
    int H;
    int gate_rows;      /* 1: the rows are the blocks of H (a weight matrix)  */
    int steps_B;        /* > 0: the rows are (step t, row b), B = steps_B      */
} ex_tensor;

static ex_tensor ex_t(const char *name, int rows, int cols)
{
    ex_tensor t;
    t.name = name; t.rows = rows; t.cols = cols; t.gates = NULL; t.H = 0; t.gate_rows = 0; t.steps_B = 0;
    return t;
}
static ex_tensor ex_tg(const char *name, int rows, int cols, const char *gates, int H)
{
    ex_tensor t = ex_t(name, rows, cols);
    t.gates = gates; t.H = H;
    return t;
}
static size_t ex_n(const ex_tensor *t) { return (size_t)t->rows * t->cols; }

/* "cache[1][6] (row 1, gate g, unit 2)" */
static void ex_where(char *s, size_t cap, const ex_tensor *t, size_t i)
{
    int r = (int)(i / (size_t)t->cols), c = (int)(i % (size_t)t->cols);
    if (t->steps_B > 0) {
        snprintf(s, cap, "%s[t=%d][b=%d][%d]", t->name, r / t->steps_B, r % t->steps_B, c);
        return;
    }
    if (t->rows == 1 && !t->gates) { snprintf(s, cap, "%s[%d]", t->name, c); return; }
    if (t->gates && t->H > 0) {
        const char *g = t->gates;
        char gate[16];
        int k = (t->gate_rows ? r : c) / t->H, n = 0;
        while (k > 0 && *g) { if (*g == ' ') k--; g++; }
        while (g[n] && g[n] != ' ' && n < 15) { gate[n] = g[n]; n++; }
        gate[n] = 0;
        if (t->gate_rows) snprintf(s, cap, "%s[%d][%d] (gate %s, unit %d; column %d)", t->name, r, c, gate, r % t->H, c);
        else if (t->rows == 1) snprintf(s, cap, "%s[%d] (gate %s, unit %d)", t->name, c, gate, c % t->H);
        else snprintf(s, cap, "%s[%d][%d] (row %d, gate %s, unit %d)", t->name, r, c, r, gate, c % t->H);
        return;
    }
    snprintf(s, cap, "%s[%d][%d]", t->name, r, c);
}

/* Did the student write outside the array? (reports the first place) */
static int ex_fenced(const ex_tensor *t, const double *p)
{
    size_t n = ex_n(t);
    int i;
    for (i = 1; i <= EX_GUARD; i++)
        if (p[-i] != EX_FENCE) {
            ex_say("your code wrote outside %s: at %s[-%d], before its first element.\n"
                   "  %s is (%d, %d), %lu numbers; row r starts at r * %d.\n",
                   t->name, t->name, i, t->name, t->rows, t->cols, (unsigned long)n, t->cols);
            return 0;
        }
    for (i = 0; i < EX_GUARD; i++)
        if (p[n + (size_t)i] != EX_FENCE) {
            ex_say("your code wrote outside %s: at %s[%lu], past its end.\n"
                   "  %s is (%d, %d), %lu numbers; row r starts at r * %d.\n",
                   t->name, t->name, (unsigned long)(n + (size_t)i), t->name, t->rows, t->cols,
                   (unsigned long)n, t->cols);
            return 0;
        }
    return 1;
}

/* a number as %.6g, but NaN and infinities spelt the same everywhere */
static const char *ex_num(char *s, double v)
{
    if (v != v) return "NaN";
    if (v - v != 0) return v > 0 ? "inf" : "-inf";
    sprintf(s, "%.6g", v);
    return s;
}

static int ex_close(double got, double want, double tol)
{
    return got == got && fabs(got - want) <= tol * (1 + fabs(want));
}

/* Do got and want agree to tol (relative, plus tol absolute)? If not, says
   which element is the first wrong one, and how many are wrong. */
static int ex_same(const ex_tensor *t, const double *got, const double *want, double tol)
{
    size_t n = ex_n(t), i, first = n, wrong = 0, unset = 0;
    char where[160];
    for (i = 0; i < n; i++)
        if (!ex_close(got[i], want[i], tol)) {
            if (first == n) first = i;
            wrong++;
            if (got[i] == EX_UNSET) unset++;
        }
    if (!wrong) return 1;
    ex_where(where, sizeof where, t, first);
    if (unset == n)
        ex_say("%s was not written: it still holds what the grader put there before the call.\n"
               "  Is the TODO still empty, or did you write into another array?\n", t->name);
    else if (got[first] == EX_UNSET)
        ex_say("%s: not written (%lu of %lu numbers were never set; the first is %s).\n",
               t->name, (unsigned long)unset, (unsigned long)n, where);
    else {
        char a[32], b[32];
        const char *sa = ex_num(a, got[first]), *sb = ex_num(b, want[first]);
        if (!strcmp(sa, sb)) { /* close: show the digits where they differ */
            sprintf(a, "%.12g", got[first]); sprintf(b, "%.12g", want[first]);
        }
        ex_say("%s: got %s, expected %s (%lu of %lu numbers wrong).\n", where, sa, sb,
               (unsigned long)wrong, (unsigned long)n);
        if (got[first] != got[first] || got[first] - got[first] != 0)
            ex_say("  A NaN or an infinity: an exp() that overflowed, a log(0), a 0/0?\n");
    }
    return 0;
}

/* Is every number of p still EX_UNSET (the function did not write it)? */
static int ex_unset(const double *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) if (p[i] != EX_UNSET) return 0;
    return 1;
}

/* Quietly: do got and want agree (used to recognise a known mistake)? */
static int ex_match(const double *got, const double *want, size_t n, double tol)
{
    size_t i;
    for (i = 0; i < n; i++) if (!ex_close(got[i], want[i], tol)) return 0;
    return 1;
}

/* For an output that backward adds to (+=): if the student overwrote it (=)
   or added nothing, say so. before: what it held before the call. */
static int ex_added(const ex_tensor *t, const double *got, const double *before, const double *want,
                    double tol)
{
    size_t n = ex_n(t), i;
    double *alone;
    if (ex_match(got, before, n, 1e-12) && !ex_match(want, before, n, 1e-12)) {
        ex_say("nothing was added to %s: it holds what it held before the call.\n"
               "  Is the TODO still empty, or did you write into another array?\n", t->name);
        return 0;
    }
    if (ex_same(t, got, want, tol)) return 1;
    alone = ex_new(n);
    for (i = 0; i < n; i++) alone[i] = want[i] - before[i];
    if (ex_match(got, alone, n, tol))
        ex_say("diagnosis: %s holds this step's part alone: you overwrote it (=). Backward\n"
               "  adds (+=): %s already holds other terms of its sum (the other time steps,\n"
               "  the other paths), which must stay.\n", t->name, t->name);
    free(alone);
    return 0;
}

/* ---- finite differences (in double) ---- */
/* grad[i] = (L(v + eps e_i) - L(v - eps e_i)) / (2 eps) for i < n, where
   L(ctx) reads v; v is restored. */
static void ex_fd(double *grad, double *v, size_t n, double (*L)(void *ctx), void *ctx)
{
    const double eps = 1e-6;
    size_t i;
    for (i = 0; i < n; i++) {
        double keep = v[i], lp, lm;
        v[i] = keep + eps; lp = L(ctx);
        v[i] = keep - eps; lm = L(ctx);
        v[i] = keep;
        grad[i] = (lp - lm) / (2 * eps);
    }
}

/* ---- running the checks ---- */

/* ex_begin(argc, argv, "rnn_cell", "..."): --brief prints one line at the
   end only; --file NAME is the student's file, for the heading. */
static void ex_begin(int argc, char **argv, const char *name, const char *title)
{
    int i;
    ex__g.name = name;
    ex__g.file = "";
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--brief")) ex__g.brief = 1;
        else if (!strcmp(argv[i], "--file") && i + 1 < argc) ex__g.file = argv[++i];
    }
    if (!ex__g.brief) printf("%s: %s%s%s%s\n", name, title, *ex__g.file ? " (" : "", ex__g.file, *ex__g.file ? ")" : "");
}

#ifdef EX_FORK
static const char *ex__signal_words(int sig)
{
    switch (sig) {
    case SIGSEGV: return "a segmentation fault (SIGSEGV): your code read or wrote memory it does not own.\n"
                         "  An index past the end of an array (check every size: B rows of H, G*H\n"
                         "  columns of gates), or an output you did not allocate?";
    case SIGBUS: return "a bus error (SIGBUS): a pointer that points nowhere valid.";
    case SIGFPE: return "a floating-point exception (SIGFPE): an integer division by zero?";
    case SIGABRT: return "an abort (SIGABRT): an assert() failed, or free() was given a bad pointer.";
    case SIGALRM: return "no answer within the time limit: an endless loop (a loop counter that\n"
                         "  never reaches its bound)?";
    default: return "a signal that ended the program.";
    }
}
#endif

/* Was this hint (its first line) given before? Remembers it if not. */
static int ex__seen(const char *line)
{
    static unsigned long seen[64];
    static int n;
    unsigned long h = 5381;
    int i;
    while (*line) h = h * 33 + (unsigned char)*line++;
    for (i = 0; i < n; i++) if (seen[i] == h) return 1;
    if (n < 64) seen[n++] = h;
    return 0;
}

/* Runs one check, in a child process where fork() exists. */
static void ex_check(const char *what, ex_fn fn, const void *arg)
{
    char rep[8192];
    size_t len = 0;
    int ok = 0;
    rep[0] = 0;
    ex__g.run++;
#ifdef EX_FORK
    {
        int fd[2], st = 0;
        pid_t pid;
        fflush(stdout); fflush(stderr);
        if (pipe(fd) != 0 || (pid = fork()) < 0) { perror("grader: pipe/fork"); exit(2); }
        if (pid == 0) { /* the child: run the check, report through the pipe */
            close(fd[0]);
            ex__g.fd = fd[1];
            if (ex__g.brief && !freopen("/dev/null", "w", stdout)) _exit(2);
            alarm(getenv("EX_TIMEOUT") ? (unsigned)atoi(getenv("EX_TIMEOUT")) : EX_SECONDS);
            ok = fn(arg);
            fflush(stdout);
            _exit(ok ? 10 : 11);
        }
        close(fd[1]);
        for (;;) {
            ssize_t r = read(fd[0], rep + len, sizeof rep - 1 - len);
            if (r <= 0) break;
            len += (size_t)r;
            if (len >= sizeof rep - 1) { char sink[512]; while (read(fd[0], sink, sizeof sink) > 0) {} break; }
        }
        rep[len] = 0;
        close(fd[0]);
        while (waitpid(pid, &st, 0) < 0) {}
        if (WIFEXITED(st) && WEXITSTATUS(st) == 10) ok = 1;
        else if (WIFEXITED(st) && WEXITSTATUS(st) != 11)
            snprintf(rep + len, sizeof rep - len, "the program ended inside your code (exit status %d):\n"
                     "  a function of the exercise must return, not call exit().\n", WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            snprintf(rep + len, sizeof rep - len, "your code crashed: %s\n", ex__signal_words(WTERMSIG(st)));
    }
#else
    ok = fn(arg); /* no fork here: a crash in the student's code ends the grader */
#endif
    if (ok) ex__g.passed++;
    if (!ex__g.brief) {
        /* the report, indented under the check; a part already printed (the
           same message, the same hint) is not repeated */
        char *hint = strstr(rep, "hint:"), *line = rep, *nl;
        int in_hint = 0, seen = 0, same = 0;
        printf("  %-5s %s\n", ok ? "ok" : "FAIL", what);
        if (!ok && hint && hint != rep && hint[-1] == '\n') {
            hint[-1] = 0;
            if (ex__seen(rep)) { printf("          (the same as above)\n"); line = hint; same = 1; }
            else hint[-1] = '\n';
        }
        while (!ok && *line) {
            nl = strchr(line, '\n');
            if (nl) *nl = 0;
            if (!strncmp(line, "hint:", 5)) {
                in_hint = 1;
                seen = ex__seen(line);
                if (seen && !same) printf("          hint: as above\n");
            } else if (line[0] != ' ') in_hint = 0;
            if (!(in_hint && seen)) printf("          %s\n", line);
            if (!nl) break;
            line = nl + 1;
        }
    } else if (!ok && !ex__g.first[0]) { /* the check's name and two lines of its report */
        char *nl = strchr(rep, '\n');
        if (nl && nl[1] == ' ' && (nl = strchr(nl + 1, '\n')) != NULL) nl[0] = 0;
        else if (nl) *nl = 0;
        snprintf(ex__g.first, sizeof ex__g.first, "%.*s", (int)sizeof ex__g.first - 1, what);
        snprintf(ex__g.report, sizeof ex__g.report, "%.*s", (int)sizeof ex__g.report - 1, rep[0] ? rep : "failed");
    }
    fflush(stdout);
}

/* The summary line; the exit status for main. */
static int ex_end(void)
{
    if (ex__g.brief) {
        if (ex__g.passed == ex__g.run) printf("%-18s %d of %d passed: done\n", ex__g.name, ex__g.passed, ex__g.run);
        else {
            char *line = ex__g.report, *nl;
            printf("%-18s %d of %d passed%s\n    FAIL  %s\n", ex__g.name, ex__g.passed, ex__g.run,
                   ex__g.passed == 0 ? ": not yet done" : "", ex__g.first);
            while (*line) { /* indented under it */
                nl = strchr(line, '\n');
                if (nl) *nl = 0;
                printf("          %s\n", line);
                if (!nl) break;
                line = nl + 1;
            }
        }
    } else {
        printf("%d of %d passed%s\n", ex__g.passed, ex__g.run,
               ex__g.passed == ex__g.run ? ": well done" : "");
    }
    return ex__g.passed == ex__g.run ? 0 : 1;
}
#endif
