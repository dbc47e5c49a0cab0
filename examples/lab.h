/* lab.h - what every lab program needs that rnn.h does not, and that is not
   the lesson: one table of command-line options that gives both the parser
   and --help, the options every lab shares (--out, --images, --no-images,
   --quiet, --help), the options of a run kept in its checkpoint (so a
   resumed run repeats none, and another run's checkpoint is not replaced),
   where the run's files go, how to find the project's own data from any
   folder, the names of the cells and optimizers, a stop for a diverging
   run, a CPU clock and a few small statistics.

   Beside it, the same way in every lab (include what you use, after lab.h):
     lab_plot.h   pictures: a canvas, a 5x7 pixel font, charts, PNG files
     lab_text.h   text: whole files, UTF-8, words, tokens
     lab_data.h   the data sets of the labs (readers and generators)
     lab_base.h   the baselines a network must beat

   How to use it. Each lab is one C file, so every function here is
   `static`: include this header once, after rnn.h:

       #define RNN_IMPLEMENTATION
       #include "../rnn.h"
       #include "lab.h"

   There is no LAB_IMPLEMENTATION to define, and nothing to link: a function
   a lab does not call costs nothing (the `unused` attribute below only keeps
   the compiler from warning about it).

   The options, in three steps (see examples/anbn.c):
     1. a struct with one field per option, filled with the defaults, with a
        lab_common field for the shared options;
     2. a table of lab_option rows, one per option, each naming its field
        with offsetof(struct, field), ending with LAB_COMMON_OPTIONS;
     3. lab_options() reads argv into the struct; --help (or -h) prints the
        table with each default in brackets.

   The exit status of every lab: 0 done, 1 a runtime error (a file that
   cannot be read or written, a run that diverged), 2 a usage error (a bad
   option, named in the message). */
#ifndef LAB_H
#define LAB_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <errno.h>
#ifdef _WIN32
#include <direct.h>
#define lab__mkdir(path) _mkdir(path)
#else
#include <sys/stat.h>
#define lab__mkdir(path) mkdir(path, 0777)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define LAB_FN static __attribute__((unused))
#else
#define LAB_FN static /* other compilers may warn about functions a lab does not call */
#endif

/* The number of rows of an array whose size the compiler knows. */
#define LAB_COUNT(array) ((int)(sizeof(array) / sizeof((array)[0])))

enum { LAB_EXIT_OK = 0, LAB_EXIT_ERROR = 1, LAB_EXIT_USAGE = 2 };


/* ---- the program's name, for error messages -------------------------------- */

/* Every message lab.h prints starts with this name ("anbn: ..."), so the
   student sees which program is speaking. lab_options sets it. */
static const char *lab_program = "lab";

/* An error of rnn.h that stops the lab: one line, "program: what it says",
   and the exit status 1 to return. */
LAB_FN int lab_failed(rnn_status st)
{
    fprintf(stderr, "%s: %s\n", lab_program, rnn_status_string(st));
    return LAB_EXIT_ERROR;
}

/* ---- options ------------------------------------------------------------------ */

typedef enum lab_opt_type {
    LAB_FLAG,   /* no value: the int field becomes 1 when the option is given  */
    LAB_INT,    /* an int field; the value must be a whole number in [lo, hi]  */
    LAB_REAL,   /* a double field; the value must be a number in [lo, hi]      */
    LAB_TEXT,   /* a char array field of hi bytes: 1 to hi-1 characters        */
    LAB_CHOICE  /* like LAB_TEXT, but only one of the words of `arg`: "lstm|gru" */
} lab_opt_type;

typedef struct lab_option {
    const char *name;    /* "--hidden"                                         */
    const char *arg;     /* what the value is called in --help: "H" (NULL for a flag);
                            for a LAB_CHOICE, the words allowed: "lstm|gru"     */
    lab_opt_type type;
    size_t offset;       /* where the value lives: offsetof(config, hidden)    */
    double lo, hi;       /* a number's range; for a text or a choice, the size of its char array (hi) */
    const char *help;    /* one line for --help                               */
    int seen;            /* set to 1 when the option is on the command line    */
} lab_option;

/* The options every lab shares, as one field of its config struct:
       typedef struct config { ...; lab_common lab; } config;
   and, last in its table, LAB_COMMON_OPTIONS(config, lab). */
typedef struct lab_common {
    char out[256];       /* --out: every file the run writes goes here         */
    char images[256];    /* --images: the pictures; empty: --out               */
    int no_images;       /* --no-images                                        */
    int quiet;           /* --quiet: no progress lines                         */
    int help;            /* --help, -h                                         */
} lab_common;

#define LAB_COMMON_OPTIONS(type, field) \
    {"--out", "DIR", LAB_TEXT, offsetof(type, field.out), 0, 256, \
     "where the run writes its files (made if missing)", 0}, \
    {"--images", "DIR", LAB_TEXT, offsetof(type, field.images), 0, 256, "where the pictures go (none: into --out)", 0}, \
    {"--no-images", NULL, LAB_FLAG, offsetof(type, field.no_images), 0, 1, "draw no pictures", 0}, \
    {"--quiet", NULL, LAB_FLAG, offsetof(type, field.quiet), 0, 1, "no progress lines, only the results", 0}, \
    {"--help", NULL, LAB_FLAG, offsetof(type, field.help), 0, 1, "show this help and exit (also -h)", 0}

/* The default of --out: build/ in the folder the lab is run from, never
   the repository's docs/ (`make pictures` writes those on purpose). */
#define LAB_DEFAULT_OUT "build"

/* The parser's answers. */
enum { LAB_OPTIONS_OK = 0, LAB_OPTIONS_HELP = 1, LAB_OPTIONS_BAD = 2 };

/* Is word one of the words of list, separated by '|'? ("gru" is in "lstm|gru") */
LAB_FN int lab_word_in_list(const char *word, const char *list)
{
    size_t n = strlen(word);
    while (*list) {
        const char *end = strchr(list, '|');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        if (len == n && !strncmp(list, word, n)) return 1;
        if (!end) break;
        list = end + 1;
    }
    return 0;
}

/* Prints the words of a list for a person: "lstm|gru|rnn" -> "lstm, gru or rnn". */
LAB_FN void lab_print_choices(FILE *f, const char *list)
{
    const char *last = strrchr(list, '|');
    for (; *list; list++) {
        if (*list != '|') fputc(*list, f);
        else fputs(list == last ? " or " : ", ", f);
    }
}

/* The row of the table named by arg ("--name" or "--name=value"), or NULL. */
LAB_FN lab_option *lab__find_option(lab_option *opts, int n, const char *arg)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    int i;
    if (!strcmp(arg, "-h")) arg = "--help", len = 6;
    for (i = 0; i < n; i++)
        if (strlen(opts[i].name) == len && !strncmp(opts[i].name, arg, len)) return &opts[i];
    return NULL;
}

/* Sets option o's field in `config` from the text val, checked as the
   command line is (a number in [lo, hi], whole for LAB_INT; a text that fits;
   one of a choice's words); a flag's "0" or "1". Returns 1, or 0 after a
   one-line error naming the option. */
LAB_FN int lab__option_set(const lab_option *o, void *config, const char *val)
{
    char *dst = (char *)config + o->offset, *end;  /* the field of this option */
    double v;
    if (o->type == LAB_TEXT || o->type == LAB_CHOICE) {
        if (!*val || strlen(val) >= (size_t)o->hi) {
            fprintf(stderr, "%s: %s needs a value of 1 to %d characters\n", lab_program, o->name, (int)o->hi - 1);
            return 0;
        }
        if (o->type == LAB_CHOICE && !lab_word_in_list(val, o->arg)) {
            fprintf(stderr, "%s: %s must be ", lab_program, o->name);
            lab_print_choices(stderr, o->arg);
            fprintf(stderr, ", not '%s'\n", val);
            return 0;
        }
        strcpy(dst, val);
        return 1;
    }
    v = strtod(val, &end);                          /* LAB_INT, LAB_REAL or LAB_FLAG */
    if (end == val || *end || !(v >= o->lo && v <= o->hi) || (o->type != LAB_REAL && v != floor(v))) {
        fprintf(stderr, "%s: %s needs %s from %g to %g, not '%s'\n", lab_program, o->name,
                o->type != LAB_REAL ? "a whole number" : "a number", o->lo, o->hi, val);
        return 0;
    }
    if (o->type == LAB_REAL) *(double *)(void *)dst = v;
    else *(int *)(void *)dst = (int)v;
    return 1;
}

/* Reads the command line into the struct `config` (really a void pointer to
   it) following the table opts[0..n-1]. Accepted forms: "--name value" and
   "--name=value"; a flag takes no value; "-h" is "--help". A number must be
   in its [lo, hi] (and whole for LAB_INT); a text must fit its array; a
   choice must be one of the words of its arg. An option followed by another
   option of the table instead of its value ("--data --epochs 20") lacks its
   value. Every problem is reported in one line on stderr, naming the
   option, e.g.
       anbn: --seeds needs a whole number from 1 to 1000, not '0'
   The command line is read from left to right; the first problem stops it.

   `program` names the program in messages (and sets lab_program).
   `plain` is the name of the option (e.g. "--text") that receives one plain
   argument, one that does not start with '-'; NULL if there is none.

   Returns LAB_OPTIONS_OK, LAB_OPTIONS_HELP (--help or -h was given: print
   lab_usage and exit 0), or LAB_OPTIONS_BAD (already reported). */
LAB_FN int lab_parse_options(const char *program, lab_option *opts, int n, void *config,
                             int argc, char **argv, const char *plain)
{
    int a, i, plains = 0;
    lab_program = program;
    for (a = 1; a < argc; a++) {
        const char *arg = argv[a], *eq = NULL, *val = NULL;
        lab_option *o = NULL;
        if (plain && (arg[0] != '-' || !arg[1])) {       /* a plain argument */
            if (plains++) {
                fprintf(stderr, "%s: only one plain argument, the value of %s ('%s' is a second)\n", program, plain, arg);
                return LAB_OPTIONS_BAD;
            }
            for (i = 0; i < n; i++) if (!strcmp(opts[i].name, plain)) o = &opts[i];
            val = arg;
        } else {                                         /* --name or --name=value */
            eq = arg[0] == '-' && arg[1] == '-' ? strchr(arg, '=') : NULL;
            o = lab__find_option(opts, n, arg);
            if (!o) { fprintf(stderr, "%s: unknown option '%s' (try --help)\n", program, arg); return LAB_OPTIONS_BAD; }
            if (o->type == LAB_FLAG && eq) { fprintf(stderr, "%s: %s takes no value\n", program, o->name); return LAB_OPTIONS_BAD; }
            if (!strcmp(o->name, "--help")) return LAB_OPTIONS_HELP;
        }
        if (!o) { fprintf(stderr, "%s: no option takes the plain argument '%s'\n", program, arg); return LAB_OPTIONS_BAD; }
        o->seen = 1;
        if (o->type == LAB_FLAG) {                       /* (a flag with "=value" was refused above) */
            *(int *)(void *)((char *)config + o->offset) = 1;
            continue;
        }
        if (!val) {                                      /* the value: after '=' or the next word */
            if (eq) val = eq + 1;
            else if (a + 1 < argc && !(argv[a + 1][0] == '-' && argv[a + 1][1] == '-' &&
                                       lab__find_option(opts, n, argv[a + 1]))) val = argv[++a];
            else {
                fprintf(stderr, "%s: %s lacks its value (%s)%s%s\n", program, o->name, o->arg,
                        a + 1 < argc ? ", before " : "", a + 1 < argc ? argv[a + 1] : "");
                return LAB_OPTIONS_BAD;
            }
        }
        if (!lab__option_set(o, config, val)) return LAB_OPTIONS_BAD;
    }
    return LAB_OPTIONS_OK;
}

/* Was the option `name` given on the command line? (after lab_parse_options) */
LAB_FN int lab_option_seen(const lab_option *opts, int n, const char *name)
{
    int i;
    for (i = 0; i < n; i++) if (!strcmp(opts[i].name, name)) return opts[i].seen;
    return 0;
}

/* Prints --help: first `intro` as it is (the usage line and what the program
   does; NULL prints nothing), then one line per option of the table,
   "  --name ARG   help [default]", the default read from the struct
   `defaults` (an empty text shows as [none]; a flag shows no default). */
LAB_FN void lab_usage(FILE *f, const char *intro, const lab_option *opts, int n, const void *defaults)
{
    int i, width = 0;
    char left[64];
    if (intro) fputs(intro, f);
    for (i = 0; i < n; i++) { /* the widest "--name ARG" sets the column of the help texts */
        int w = snprintf(left, sizeof left, "%s%s%s", opts[i].name, opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
        if (w > width) width = w;
    }
    for (i = 0; i < n; i++) {
        const lab_option *o = &opts[i];
        const char *v = (const char *)defaults + o->offset;
        snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-*s  %s", width, left, o->help);
        if (o->type == LAB_INT) fprintf(f, " [%d]", *(const int *)(const void *)v);
        else if (o->type == LAB_REAL) fprintf(f, " [%g]", *(const double *)(const void *)v);
        else if (o->type == LAB_TEXT || o->type == LAB_CHOICE) fprintf(f, " [%s]", *v ? v : "none");
        fputc('\n', f);
    }
}

/* The start of every lab: reads the command line into `config` (size
   bytes, filled with the defaults), or prints --help. Returns LAB_GO to go
   on, else the exit status for main to return: 0 after --help, 2 after a
   usage error (already reported).
       if ((rc = lab_options("anbn", intro, options, N_OPTIONS, &c, sizeof c,
                             argc, argv, NULL)) != LAB_GO) return rc; */
#define LAB_GO (-1)
LAB_FN int lab_options(const char *program, const char *intro, lab_option *opts, int n, void *config,
                       size_t size, int argc, char **argv, const char *plain)
{
    void *defaults = malloc(size);
    int pr;
    if (!defaults) { fprintf(stderr, "%s: out of memory\n", program); return LAB_EXIT_ERROR; }
    memcpy(defaults, config, size);
    pr = lab_parse_options(program, opts, n, config, argc, argv, plain);
    if (pr == LAB_OPTIONS_HELP) lab_usage(stdout, intro, opts, n, defaults);
    free(defaults);
    return pr == LAB_OPTIONS_HELP ? LAB_EXIT_OK : pr == LAB_OPTIONS_BAD ? LAB_EXIT_USAGE : LAB_GO;
}

/* ---- the options of a run, kept in its checkpoint ---------------------------------
   A run is defined by some of its options (the model, the data, the
   training). lab_options_save writes them into a checkpoint as user
   settings ("--seq 64" as "user.seq": "64", rnn_checkpoint_set), and
   lab_options_restore reads them back, so that a resumed run repeats none
   of them: an option not given takes the checkpoint's value; one given
   with another value is refused, unless `force` (or it is in `may_change`,
   as --steps, which a resumed run extends). `names` and `may_change` are
   lists of option names ending with NULL. */

/* option o's value in `config` as text, the form the command line takes */
LAB_FN void lab__option_text(const lab_option *o, const void *config, char *out, size_t cap)
{
    const char *src = (const char *)config + o->offset;
    if (o->type == LAB_TEXT || o->type == LAB_CHOICE) snprintf(out, cap, "%s", src);
    else if (o->type == LAB_REAL) { /* the fewest digits that read back as the same double: 0.006, not 0.0060000000000000001 */
        double x = *(const double *)(const void *)src;
        int p;
        for (p = 1; p <= 17; p++) if (snprintf(out, cap, "%.*g", p, x) > 0 && strtod(out, NULL) == x) break;
    }
    else snprintf(out, cap, "%d", *(const int *)(const void *)src);
}

LAB_FN int lab__in_list(const char *name, const char *const *list)
{
    for (; list && *list; list++) if (!strcmp(*list, name)) return 1;
    return 0;
}

/* Returns 1, or 0 after a one-line error (a text too long to keep). */
LAB_FN int lab_options_save(rnn_checkpoint *ck, const lab_option *opts, int n, const void *config, const char *const *names)
{
    char v[RNN_CK_USER_VALUE + 1];
    int i;
    for (i = 0; i < n; i++) {
        if (!lab__in_list(opts[i].name, names)) continue;
        lab__option_text(&opts[i], config, v, sizeof v);
        if (rnn_checkpoint_set(ck, opts[i].name + 2, v) != RNN_OK) { /* "--seq" is kept as "seq" */
            fprintf(stderr, "%s: cannot keep %s in the checkpoint: %s\n", lab_program, opts[i].name, ck->error);
            return 0;
        }
    }
    return 1;
}

/* The first option of `names` (not of `may_change`) whose value in
   `config` differs from the checkpoint's, or NULL (also when the
   checkpoint has no settings); given_only: only the options given. */
LAB_FN const lab_option *lab_options_differ(const rnn_checkpoint *ck, const lab_option *opts, int n, const void *config,
                                            const char *const *names, const char *const *may_change, int given_only)
{
    char v[RNN_CK_USER_VALUE + 1];
    const char *saved;
    int i;
    for (i = 0; i < n; i++) {
        if (!lab__in_list(opts[i].name, names) || lab__in_list(opts[i].name, may_change) || (given_only && !opts[i].seen)) continue;
        if (!(saved = rnn_checkpoint_get(ck, opts[i].name + 2))) continue;
        lab__option_text(&opts[i], config, v, sizeof v);
        if (strcmp(v, saved)) return &opts[i];
    }
    return NULL;
}

/* Returns 1, or 0 after a one-line error naming the option given that
   differs (what the checkpoint says, what was given). A checkpoint without
   the settings (an older one) leaves `config` as it is. */
LAB_FN int lab_options_restore(const rnn_checkpoint *ck, lab_option *opts, int n, void *config, const char *const *names,
                               const char *const *may_change, int force, const char *path)
{
    char v[RNN_CK_USER_VALUE + 1];
    const lab_option *o = force ? NULL : lab_options_differ(ck, opts, n, config, names, may_change, 1);
    int i;
    if (o) {
        lab__option_text(o, config, v, sizeof v);
        fprintf(stderr, "%s: '%s' was trained with %s %s, not %s (leave the option out, or --force)\n",
                lab_program, path, o->name, rnn_checkpoint_get(ck, o->name + 2), v);
        return 0;
    }
    for (i = 0; i < n; i++) {
        const char *saved = lab__in_list(opts[i].name, names) ? rnn_checkpoint_get(ck, opts[i].name + 2) : NULL;
        if (saved && !opts[i].seen && !lab__option_set(&opts[i], config, saved)) {
            fprintf(stderr, "%s: '%s' holds a bad %s\n", lab_program, path, opts[i].name);
            return 0;
        }
    }
    return 1;
}

/* ---- where files go ------------------------------------------------------------- */

/* Makes the directory `dir` and every missing directory above it (mkdir -p).
   Returns 0, or 1 after a one-line error that names it. */
LAB_FN int lab_make_dir(const char *dir)
{
    char p[1024];
    size_t i, n = strlen(dir);
    if (n == 0) return 0;
    if (n >= sizeof p) { fprintf(stderr, "%s: the path '%.60s...' is too long\n", lab_program, dir); return 1; }
    memcpy(p, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != 0) continue;
        p[i] = 0;
        if (lab__mkdir(p) != 0 && errno != EEXIST) {
            fprintf(stderr, "%s: cannot make the directory %s: %s\n", lab_program, p, strerror(errno));
            return 1;
        }
        p[i] = i < n ? '/' : 0;
    }
    return 0;
}

/* dir/name into path (cap bytes), after making dir. Returns path, or NULL
   after a one-line error (the directory cannot be made, or the path is too
   long). */
LAB_FN char *lab_out_path(char *path, size_t cap, const char *dir, const char *name)
{
    if (snprintf(path, cap, "%s/%s", dir, name) >= (int)cap) {
        fprintf(stderr, "%s: the path %s/%s is too long\n", lab_program, dir, name);
        return NULL;
    }
    return lab_make_dir(dir) ? NULL : path;
}

/* Makes the directory that the file `path` goes into (nothing for a bare
   file name). Returns 0, or 1 after a one-line error. */
LAB_FN int lab_make_parent(const char *path)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    if ((size_t)(slash - path) >= sizeof dir) { fprintf(stderr, "%s: the path '%.60s...' is too long\n", lab_program, path); return 1; }
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = 0;
    return lab_make_dir(dir);
}

/* A file name next to another: dir + "/" + name (dir a folder), or, when
   `dir` is a file "x.ext", "x" + name ("build/charlm.safetensors" and
   "_log.csv" give "build/charlm_log.csv"). Returns out, or NULL when it
   does not fit (said). */
LAB_FN char *lab_out_name(char *out, size_t cap, const char *dir, const char *name)
{
    const char *dot = strrchr(dir, '.'), *slash = strrchr(dir, '/');
    int n = name[0] == '_' && dot && (!slash || dot > slash) ? (int)(dot - dir) : -1;
    if ((n >= 0 ? snprintf(out, cap, "%.*s%s", n, dir, name) : snprintf(out, cap, "%s/%s", dir, name)) >= (int)cap) {
        fprintf(stderr, "%s: the path %s/%s is too long\n", lab_program, dir, name);
        return NULL;
    }
    return out;
}

/* The folder the pictures go to: --images, else --out. */
LAB_FN const char *lab_images_dir(const lab_common *lab) { return lab->images[0] ? lab->images : lab->out; }

/* Does a file exist (can it be opened for reading)? */
LAB_FN int lab_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* May a file be made beside `path`? rnn_save writes a temporary file there,
   then renames it: a lab tries before training rather than find out after
   (an existing "<path>.probe" is left alone, and the save will tell). */
LAB_FN int lab_can_write_beside(const char *path)
{
    char probe[1100];
    FILE *f;
    snprintf(probe, sizeof probe, "%s.probe", path);
    if ((f = fopen(probe, "rb")) != NULL) { fclose(f); return 1; }
    if ((f = fopen(probe, "wb")) == NULL) return 0;
    fclose(f);
    remove(probe);
    return 1;
}

/* A file of the project (e.g. "examples/data/airline_passengers.csv"), found
   from any folder: as given if it is there (the lab runs from the
   project's root), else beside this header's own folder, which the
   compiler names in __FILE__ (absolute when the Makefile compiles
   $(CURDIR)/examples/x.c). Writes the path to use into out (cap bytes) and
   returns it; when neither exists, the path as given (the caller's
   "cannot open" then names it). */
LAB_FN const char *lab_project_file(const char *rel, char *out, size_t cap)
{
    static const char here[] = __FILE__;      /* ".../examples/lab.h" */
    const char *slash = strrchr(here, '/');
    int n = slash ? (int)(slash - here) : 0;  /* ".../examples" */
    snprintf(out, cap, "%s", rel);
    if (lab_exists(rel) || !slash) return out;
    while (n > 0 && here[n - 1] != '/') n--;  /* ".../" : the project's root */
    if (snprintf(out, cap, "%.*s%s", n, here, rel) < (int)cap && lab_exists(out)) return out;
    snprintf(out, cap, "%s", rel);
    return out;
}

/* ---- the cells, by name -----------------------------------------------------------
   The names are rnn.h's own, from its table of cells (rnn_cell_name,
   rnn_cell_from_name). LAB_CELLS spells them for the option tables' help,
   which need a constant string; tests/test_labs.sh checks that it lists
   exactly rnn.h's names, in rnn.h's order. The label is what tables and
   legends print. */

#define LAB_CELLS "tanh|relu|gru_simple|gru|lstm|peephole"

/* The cell called name, or RNN_CELL_DEFAULT if no cell is. */
LAB_FN rnn_cell lab_cell_from_name(const char *name) { return rnn_cell_from_name(name); }
/* The name of a cell (RNN_CELL_DEFAULT is rnn.h's LSTM). */
LAB_FN const char *lab_cell_name(rnn_cell cell) { return rnn_cell_name(cell == RNN_CELL_DEFAULT ? RNN_LSTM : cell); }
LAB_FN const char *lab_cell_label(rnn_cell cell)
{
    switch (cell) {
    case RNN_TANH: return "simple RNN";          /* [rnn.state] with tanh, decks D0-D4 */
    case RNN_RELU: return "ReLU RNN";
    case RNN_GRU_SIMPLE: return "simplified GRU"; /* [gru-simple.*], D1, D2 */
    case RNN_GRU: return "GRU";                  /* [gru.*] */
    case RNN_PEEPHOLE: return "peephole LSTM";   /* [peephole.*] */
    default: return "LSTM";                      /* [lstm.*] */
    }
}

/* ---- the optimizers, by name ------------------------------------------------------ */

#define LAB_OPTIMS "adam|rmsprop|adagrad|sgd"
LAB_FN rnn_optim_kind lab_optim_from_name(const char *name)
{
    return !strcmp(name, "adam") ? RNN_ADAM : !strcmp(name, "rmsprop") ? RNN_RMSPROP : !strcmp(name, "adagrad") ? RNN_ADAGRAD : RNN_SGD;
}
LAB_FN const char *lab_optim_name(rnn_optim_kind k)
{
    return k == RNN_ADAM ? "adam" : k == RNN_RMSPROP ? "rmsprop" : k == RNN_ADAGRAD ? "adagrad" : "sgd";
}

/* ---- a checkpoint of another run is kept ------------------------------------------ */

/* Before a run writes its checkpoint to `path` (after `steps` updates):
   1. a checkpoint there of another run is someone's trained model, and is
      not replaced unless `force` (or `resume`: the run goes on from it).
      Another run: one whose kept options (lab_options_save) differ from
      config's, beside those of `may_change`; one that keeps none; one that
      went further than `steps`. A file that is not a checkpoint is kept.
   2. rnn_save writes a temporary file beside path: can it? Better to find
      out now than after training.
   Returns 1 to go on, or 0 after a one-line error that says why not. */
LAB_FN int lab_may_replace(const char *path, const lab_option *opts, int n, const void *config,
                           const char *const *names, const char *const *may_change, long steps, int force, int resume)
{
    rnn_model m;
    rnn_checkpoint ck;
    const lab_option *o;
    char why[80] = "";
    rnn_status st;
    memset(&ck, 0, sizeof ck);
    if (!force && !resume && lab_exists(path)) {
        if ((st = rnn_load(path, &m, &ck)) != RNN_OK) {
            fprintf(stderr, "%s: cannot read the existing checkpoint '%s': %s%s%s\n%s: not replaced: give another --checkpoint, or --force\n",
                    lab_program, path, rnn_status_string(st), ck.error[0] ? ": " : "", ck.error, lab_program);
            return 0;
        }
        if (ck.n_user == 0) snprintf(why, sizeof why, "it keeps no options");
        else if ((o = lab_options_differ(&ck, opts, n, config, names, may_change, 0)) != NULL) snprintf(why, sizeof why, "another %s", o->name);
        else if (ck.step > steps) snprintf(why, sizeof why, "more steps than --steps");
        if (why[0])
            fprintf(stderr, "%s: '%s' holds another run (%s %dx%d, step %ld; %s): not replaced; give another --checkpoint, or --force\n",
                    lab_program, path, lab_cell_name(m.desc.cell), m.desc.num_layers, m.desc.hidden_size, (long)ck.step, why);
        rnn_model_free(&m);
        if (why[0]) return 0;
    }
    if (lab_make_parent(path) || !lab_can_write_beside(path)) {
        fprintf(stderr, "%s: cannot write the checkpoint '%s' (does its folder exist, and may this user write there?)\n", lab_program, path);
        return 0;
    }
    return 1;
}

/* --resume: the options of the run come from the checkpoint at path
   (lab_options_restore: one given that contradicts it is refused unless
   force). Returns 1, or 0 after a one-line error. */
LAB_FN int lab_resume_options(const char *path, lab_option *opts, int n, void *config,
                              const char *const *names, const char *const *may_change, int force)
{
    rnn_model m;
    rnn_checkpoint ck;
    rnn_status st;
    int ok;
    memset(&ck, 0, sizeof ck);
    if ((st = rnn_load(path, &m, &ck)) != RNN_OK) {
        fprintf(stderr, "%s: cannot resume from '%s': %s%s%s\n", lab_program, path, rnn_status_string(st), ck.error[0] ? ": " : "", ck.error);
        return 0;
    }
    ok = lab_options_restore(&ck, opts, n, config, names, may_change, force, path);
    rnn_model_free(&m);
    return ok;
}

/* Are all n numbers finite? (a diverged model is never saved over the last good one) */
LAB_FN int lab_all_finite(const rnn_real *p, int n)
{
    int i;
    for (i = 0; i < n; i++) if (!(p[i] - p[i] == 0)) return 0;
    return 1;
}

/* ---- a run that diverges stops ------------------------------------------------------ */

/* Has the run diverged? After an update's rnn_forward (status st, loss per
   step `loss`): a NaN or infinity inside the network (RNN_ERR_NAN), or a
   loss that is not a number, infinite, or above `bound` (a value no sound
   run of the lab reaches: several times the loss of a uniform guess) means
   it has. Then this prints one line that says so and what to try, and
   returns 1; the lab stops and exits with status 1. `what` names the run
   in the message (NULL: nothing), `update` counts the updates from 1. */
LAB_FN int lab_diverged(const char *what, long update, rnn_status st, double loss, double bound)
{
    if (st != RNN_OK && st != RNN_ERR_NAN) return 0;   /* another error: the caller reports it */
    if (st == RNN_OK && loss <= bound && loss < HUGE_VAL) return 0;   /* (a NaN fails every comparison) */
    fprintf(stderr, "%s: %s%straining diverged at update %ld: ", lab_program, what ? what : "", what ? ": " : "", update);
    if (st == RNN_ERR_NAN) fprintf(stderr, "a NaN or an infinity appeared in the network");
    else fprintf(stderr, "the loss is %.3g%s", loss, loss == loss && loss < HUGE_VAL ? ", past the bound of a sound run" : "");
    fprintf(stderr, "; try a lower --lr, or clip the gradient (--clip)\n");
    return 1;
}

/* [clip.norm] over the gradients of n models together, as one vector (an
   encoder and its decoder: rnn_clip_by_global_norm sees one model):
   g <- g c / ||g|| when ||g|| > c. */
LAB_FN void lab_clip_models(rnn_model *const *m, int n, double c)
{
    double n2 = 0;
    int i, k;
    for (k = 0; k < n; k++) for (i = 0; i < m[k]->n_params; i++) n2 += (double)m[k]->grads[i] * m[k]->grads[i];
    if (sqrt(n2) > c) {
        rnn_real f = (rnn_real)(c / sqrt(n2));
        for (k = 0; k < n; k++) for (i = 0; i < m[k]->n_params; i++) m[k]->grads[i] *= f;
    }
}

/* ---- lists of cells: "tanh,gru,lstm:3" ------------------------------------------ */

/* Reads the comma-separated cell names of option `name` (e.g. "--cells")
   into cells[0..cap-1]. With bias not NULL an LSTM may carry its forget-gate
   bias after a colon, "lstm:3" (default 1, rnn.h's); without, no colon is
   taken. Returns how many cells, or -1 after a one-line message. */
LAB_FN int lab_cell_list(const char *name, const char *list, rnn_cell *cells, double *bias, int cap)
{
    char buf[256], *tok, *colon, *end;
    int n = 0;
    if (strlen(list) >= sizeof buf) { fprintf(stderr, "%s: %s is too long\n", lab_program, name); return -1; }
    strcpy(buf, list);
    for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if ((colon = bias ? strchr(tok, ':') : NULL) != NULL) *colon = 0;
        if (n == cap) { fprintf(stderr, "%s: at most %d cells in %s\n", lab_program, cap, name); return -1; }
        if ((cells[n] = lab_cell_from_name(tok)) == RNN_CELL_DEFAULT) {
            fprintf(stderr, "%s: unknown cell '%s' in %s; the cells are ", lab_program, tok, name);
            lab_print_choices(stderr, LAB_CELLS);
            fprintf(stderr, "%s\n", bias ? " (an LSTM may add :B, its forget-gate bias)" : "");
            return -1;
        }
        if (bias) bias[n] = 1;
        if (colon && cells[n] != RNN_LSTM && cells[n] != RNN_PEEPHOLE) {
            fprintf(stderr, "%s: '%s' has no forget gate, so no ':bias' in %s\n", lab_program, tok, name);
            return -1;
        }
        if (colon) {
            bias[n] = strtod(colon + 1, &end);
            if (end == colon + 1 || *end || !(bias[n] >= -20 && bias[n] <= 20)) {
                fprintf(stderr, "%s: the forget-gate bias of '%s' in %s needs a number from -20 to 20, not '%s'\n",
                        lab_program, tok, name, colon + 1);
                return -1;
            }
        }
        n++;
    }
    if (n == 0) fprintf(stderr, "%s: %s names no cell\n", lab_program, name);
    return n ? n : -1;
}

/* ---- the gradient, checked ------------------------------------------------------- */

/* Backpropagation against centred finite differences, (L(w + eps) -
   L(w - eps)) / 2 eps, for the 3 entries of largest gradient in every tensor
   of m, on the batch b (its targets set): each evaluation resets the state
   and runs rnn_forward. In float, agreement to a few per cent is what to
   expect. Prints a line per entry unless quiet; the worst relative
   difference goes to *worst. */
LAB_FN rnn_status lab_check_gradient(rnn_model *m, const rnn_batch *b, double eps, int quiet, double *worst)
{
    int t, i, k;
    rnn_real loss;
    rnn_status st;
    *worst = 0;
    rnn_reset_state(m);
    rnn_zero_grad(m);
    if ((st = rnn_forward(m, b, &loss)) != RNN_OK || (st = rnn_backward(m)) != RNN_OK) return st;
    for (t = 0; t < m->n_tensors; t++) {
        rnn_real *data = m->tensors[t].data, *grad = m->tensors[t].grad;
        int n = m->tensors[t].rows * m->tensors[t].cols, best[3] = {-1, -1, -1};
        for (i = 0; i < n; i++) /* the 3 largest |gradient| */
            for (k = 0; k < 3; k++)
                if (best[k] < 0 || fabs((double)grad[i]) > fabs((double)grad[best[k]])) {
                    int j;
                    for (j = 2; j > k; j--) best[j] = best[j - 1];
                    best[k] = i;
                    break;
                }
        for (k = 0; k < 3 && best[k] >= 0; k++) {
            rnn_real keep = data[best[k]];
            double a = (double)grad[best[k]], lp, lm, num, rel;
            data[best[k]] = (rnn_real)(keep + eps); rnn_reset_state(m); rnn_forward(m, b, &loss); lp = (double)loss;
            data[best[k]] = (rnn_real)(keep - eps); rnn_reset_state(m); rnn_forward(m, b, &loss); lm = (double)loss;
            data[best[k]] = keep;
            num = (lp - lm) / (2 * eps);
            rel = fabs(a - num) / (fabs(a) > fabs(num) ? fabs(a) : fabs(num) > 1e-4 ? fabs(num) : 1e-4);
            if (rel > *worst) *worst = rel;
            if (!quiet)
                printf("  %-22s [%6d]  backprop %+.6f  finite differences %+.6f  relative difference %.1e\n",
                       m->tensors[t].name, best[k], a, num, rel);
        }
    }
    return RNN_OK;
}

/* ---- time ------------------------------------------------------------------- */

/* CPU seconds used by this program so far. The machine may be shared, so
   the labs report CPU time, not wall-clock time: the difference of two calls
   is the CPU time of what ran between them. */
LAB_FN double lab_cpu_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* ---- small statistics ----------------------------------------------------------- */

/* Shuffles a[0..n-1] (Fisher-Yates, the generator r): every order is
   equally likely. */
LAB_FN void lab_shuffle(int *a, int n, rnn_rng *r)
{
    int i;
    for (i = n - 1; i > 0; i--) {
        int j = (int)(rnn_rng_uniform(r) * (i + 1)), t = a[i];
        a[i] = a[j]; a[j] = t;
    }
}

/* The mean and the sample standard deviation of v[0..n-1] (sd 0 for n = 1). */
LAB_FN void lab_mean_sd(const double *v, int n, double *mean, double *sd)
{
    double s = 0, s2 = 0, var;
    int i;
    for (i = 0; i < n; i++) { s += v[i]; s2 += v[i] * v[i]; }
    *mean = n ? s / n : 0;
    var = n > 1 ? (s2 - s * s / n) / (n - 1) : 0;
    *sd = var > 0 ? sqrt(var) : 0;
}

/* The median of v[0..n-1] (sorted in place). */
LAB_FN int lab__cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
LAB_FN double lab_median(double *v, int n)
{
    if (n < 1) return 0;
    qsort(v, (size_t)n, sizeof *v, lab__cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#endif /* LAB_H */
