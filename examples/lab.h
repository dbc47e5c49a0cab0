/* lab.h - what every lab program needs that rnn.h does not: a table of
   command-line options (one table gives both the parser and --help), a small
   canvas to draw pictures on (rectangles, lines, text in a 5x7 pixel font),
   PNG writing, and a CPU clock.

   How to use it. Each lab is one C file, so every function here is `static`:
   include this header once, after rnn.h and after stb_image_write.h, e.g.

       #define RNN_IMPLEMENTATION
       #include "../rnn.h"
       #define STB_IMAGE_WRITE_IMPLEMENTATION
       #define STB_IMAGE_WRITE_STATIC
       #include <stb/stb_image_write.h>
       #include "lab.h"

   There is no LAB_IMPLEMENTATION to define, and nothing to link: a function
   a lab does not call costs nothing (the `unused` attribute below only keeps
   the compiler from warning about it).

   The options, in three steps (see examples/anbn.c):
     1. a struct with one field per option, filled with the defaults;
     2. a table of lab_option rows, one per option, each naming its field
        with offsetof(struct, field);
     3. lab_parse_options() reads argv into the struct, lab_usage() prints
        --help from the same table, with each default in brackets.

   The pictures: a lab_image is w x h pixels of 3 bytes (red, green, blue),
   row after row from the top left; (x, y) is column x of row y. Every
   drawing function clips to the image, so drawing partly outside it is
   safe. */
#ifndef LAB_H
#define LAB_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#if defined(__GNUC__) || defined(__clang__)
#define LAB_FN static __attribute__((unused))
#else
#define LAB_FN static /* other compilers may warn about functions a lab does not call */
#endif

/* The number of rows of an array whose size the compiler knows. */
#define LAB_COUNT(array) ((int)(sizeof(array) / sizeof((array)[0])))

/* ---- the program's name, for error messages -------------------------------- */

/* Every message lab.h prints starts with this name ("anbn: ..."), so the
   student sees which program is speaking. lab_parse_options sets it. */
static const char *lab_program = "lab";

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

/* Reads the command line into the struct `config` (really a void pointer to
   it) following the table opts[0..n-1]. Accepted forms: "--name value" and
   "--name=value"; a flag takes no value. A number must be in its [lo, hi]
   (and whole for LAB_INT); a text must fit its array; a choice must be one
   of the words of its arg. Every problem is reported in one line on stderr,
   naming the option, e.g.
       anbn: --seeds needs a whole number from 1 to 1000, not '0'
   The command line is read from left to right; the first problem stops it.

   `program` names the program in messages (and sets lab_program).
   `plain` is the name of the option (e.g. "--text") that receives one plain
   argument, one that does not start with '-'; NULL if there is none.

   Returns LAB_OPTIONS_OK, LAB_OPTIONS_HELP (an option named "--help" was
   given: print lab_usage and exit 0), or LAB_OPTIONS_BAD (already reported). */
LAB_FN int lab_parse_options(const char *program, lab_option *opts, int n, void *config,
                             int argc, char **argv, const char *plain)
{
    int a, i, plains = 0;
    lab_program = program;
    for (a = 1; a < argc; a++) {
        const char *arg = argv[a], *eq = NULL, *val = NULL;
        size_t len;
        lab_option *o = NULL;
        char *dst, *end;
        double v;
        if (plain && (arg[0] != '-' || !arg[1])) {       /* a plain argument */
            if (plains++) {
                fprintf(stderr, "%s: only one plain argument, the value of %s ('%s' is a second)\n", program, plain, arg);
                return LAB_OPTIONS_BAD;
            }
            for (i = 0; i < n; i++) if (!strcmp(opts[i].name, plain)) o = &opts[i];
            val = arg;
        } else {                                         /* --name or --name=value */
            eq = strchr(arg, '=');
            len = eq ? (size_t)(eq - arg) : strlen(arg);
            for (i = 0; i < n; i++)
                if (strlen(opts[i].name) == len && !strncmp(opts[i].name, arg, len)) o = &opts[i];
            if (!o) { fprintf(stderr, "%s: unknown option '%s' (try --help)\n", program, arg); return LAB_OPTIONS_BAD; }
            if (o->type == LAB_FLAG && eq) { fprintf(stderr, "%s: %s takes no value\n", program, o->name); return LAB_OPTIONS_BAD; }
            if (!strcmp(o->name, "--help")) return LAB_OPTIONS_HELP;
        }
        if (!o) { fprintf(stderr, "%s: no option takes the plain argument '%s'\n", program, arg); return LAB_OPTIONS_BAD; }
        o->seen = 1;
        dst = (char *)config + o->offset;                /* the field of this option */
        if (o->type == LAB_FLAG) {                       /* (a flag with "=value" was refused above) */
            *(int *)(void *)dst = 1;
            continue;
        }
        if (!val) {                                      /* the value: after '=' or the next word */
            if (eq) val = eq + 1;
            else if (a + 1 < argc) val = argv[++a];
            else { fprintf(stderr, "%s: %s needs a value (%s)\n", program, o->name, o->arg); return LAB_OPTIONS_BAD; }
        }
        if (o->type == LAB_TEXT || o->type == LAB_CHOICE) {
            if (!*val || strlen(val) >= (size_t)o->hi) {
                fprintf(stderr, "%s: %s needs a value of 1 to %d characters\n", program, o->name, (int)o->hi - 1);
                return LAB_OPTIONS_BAD;
            }
            if (o->type == LAB_CHOICE && !lab_word_in_list(val, o->arg)) {
                fprintf(stderr, "%s: %s must be ", program, o->name);
                lab_print_choices(stderr, o->arg);
                fprintf(stderr, ", not '%s'\n", val);
                return LAB_OPTIONS_BAD;
            }
            strcpy(dst, val);
            continue;
        }
        v = strtod(val, &end);                           /* LAB_INT or LAB_REAL */
        if (end == val || *end || !(v >= o->lo && v <= o->hi) || (o->type == LAB_INT && v != floor(v))) {
            fprintf(stderr, "%s: %s needs %s from %g to %g, not '%s'\n", program, o->name,
                    o->type == LAB_INT ? "a whole number" : "a number", o->lo, o->hi, val);
            return LAB_OPTIONS_BAD;
        }
        if (o->type == LAB_INT) *(int *)(void *)dst = (int)v;
        else *(double *)(void *)dst = v;
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

/* ---- time ------------------------------------------------------------------- */

/* CPU seconds used by this program so far. The machine may be shared, so
   the labs report CPU time, not wall-clock time: the difference of two calls
   is the CPU time of what ran between them. */
LAB_FN double lab_cpu_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* ---- the canvas ------------------------------------------------------------- */

typedef struct lab_rgb { unsigned char r, g, b; } lab_rgb;
typedef struct lab_image { int w, h; unsigned char *p; } lab_image; /* p: w*h*3 bytes */

/* Allocates a w x h image filled with colour bg. Returns 0, or 1 (and says
   so on stderr) when there is no memory for it. Free it with lab_image_free. */
LAB_FN int lab_image_new(lab_image *im, int w, int h, lab_rgb bg)
{
    size_t i;
    im->w = w; im->h = h;
    im->p = (unsigned char *)malloc((size_t)w * h * 3);
    if (!im->p) { fprintf(stderr, "%s: out of memory for a %dx%d picture\n", lab_program, w, h); return 1; }
    for (i = 0; i < (size_t)w * h; i++) { im->p[3 * i] = bg.r; im->p[3 * i + 1] = bg.g; im->p[3 * i + 2] = bg.b; }
    return 0;
}

/* Gives back the memory of an image made by lab_image_new. */
LAB_FN void lab_image_free(lab_image *im) { free(im->p); im->p = NULL; im->w = im->h = 0; }

/* One pixel; nothing happens outside the image. */
LAB_FN void lab_pixel(lab_image *im, int x, int y, lab_rgb c)
{
    unsigned char *p;
    if (x < 0 || y < 0 || x >= im->w || y >= im->h) return;
    p = im->p + 3 * ((size_t)y * im->w + x);
    p[0] = c.r; p[1] = c.g; p[2] = c.b;
}

/* A filled rectangle: the columns x0..x1-1 of the rows y0..y1-1 (x1 and y1
   are left out, so the rectangle is x1-x0 wide and y1-y0 high). */
LAB_FN void lab_rect(lab_image *im, int x0, int y0, int x1, int y1, lab_rgb c)
{
    int x, y;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > im->w) x1 = im->w;
    if (y1 > im->h) y1 = im->h;
    for (y = y0; y < y1; y++) for (x = x0; x < x1; x++) lab_pixel(im, x, y, c);
}

/* The whole image in one colour. */
LAB_FN void lab_fill(lab_image *im, lab_rgb c) { lab_rect(im, 0, 0, im->w, im->h, c); }

/* A straight line from (x0, y0) to (x1, y1), both ends included, `width`
   pixels thick: at each point of the line a width x width square, with
   the point in its top left (width 1, 2) or centre (width 3). With dash > 0
   the line is dashed: dash points drawn, dash left out, and so on.
   The points are Bresenham's: step along the longer axis one pixel at a
   time, and along the other when the error term e says the true line has
   moved half a pixel or more away. */
LAB_FN void lab_line(lab_image *im, int x0, int y0, int x1, int y1, lab_rgb c, int width, int dash)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int e = dx + dy, e2, n = 0, o = (width - 1) / 2;
    for (;;) {
        if (!dash || (n / dash) % 2 == 0) lab_rect(im, x0 - o, y0 - o, x0 - o + width, y0 - o + width, c);
        n++;
        if (x0 == x1 && y0 == y1) break;
        e2 = 2 * e;                   /* both tests look at the error before either step */
        if (e2 >= dy) { e += dy; x0 += sx; }
        if (e2 <= dx) { e += dx; y0 += sy; }
    }
}

/* A colour from its red, green and blue parts, each 0..255 (kept in range). */
LAB_FN lab_rgb lab_colour(int r, int g, int b)
{
    lab_rgb c;
    c.r = (unsigned char)(r < 0 ? 0 : r > 255 ? 255 : r);
    c.g = (unsigned char)(g < 0 ? 0 : g > 255 ? 255 : g);
    c.b = (unsigned char)(b < 0 ? 0 : b > 255 ? 255 : b);
    return c;
}

/* The colour (1-f) a + f b: f = 0 gives a, f = 1 gives b (f is kept in [0, 1]). */
LAB_FN lab_rgb lab_mix(lab_rgb a, lab_rgb b, double f)
{
    lab_rgb c;
    if (!(f >= 0)) f = 0;
    if (f > 1) f = 1;
    c.r = (unsigned char)(a.r + f * (b.r - a.r) + 0.5);
    c.g = (unsigned char)(a.g + f * (b.g - a.g) + 0.5);
    c.b = (unsigned char)(a.b + f * (b.b - a.b) + 0.5);
    return c;
}

/* A pixel coordinate from a value, kept in [lo, hi] (a NaN gives lo), rounded. */
LAB_FN int lab_px(double v, int lo, int hi) { return !(v >= lo) ? lo : v > hi ? hi : (int)floor(v + 0.5); }

/* ---- text: a 5x7 pixel font ---------------------------------------------------- */

/* One glyph per printable ASCII character, 32 (space) to 126 (~): seven rows,
   top first, five bits per row (16 = the left column, 1 = the right one).
   The letters with a tail (g p q y) are drawn two rows lower, so a line of
   text is LAB_GLYPH_H rows high; every character is LAB_GLYPH_W wide (a
   column of space included). */
#define LAB_GLYPH_W 6
#define LAB_GLYPH_H 9
static const unsigned char lab_font[95][7] = {
    {0x00,0x00,0x00,0x00,0x00,0x00,0x00}, {0x04,0x04,0x04,0x04,0x04,0x00,0x04}, /* space ! */
    {0x0A,0x0A,0x0A,0x00,0x00,0x00,0x00}, {0x0A,0x0A,0x1F,0x0A,0x1F,0x0A,0x0A}, /* " # */
    {0x04,0x0F,0x14,0x0E,0x05,0x1E,0x04}, {0x18,0x19,0x02,0x04,0x08,0x13,0x03}, /* $ % */
    {0x0C,0x12,0x14,0x08,0x15,0x12,0x0D}, {0x0C,0x04,0x08,0x00,0x00,0x00,0x00}, /* & ' */
    {0x02,0x04,0x08,0x08,0x08,0x04,0x02}, {0x08,0x04,0x02,0x02,0x02,0x04,0x08}, /* ( ) */
    {0x00,0x04,0x15,0x0E,0x15,0x04,0x00}, {0x00,0x04,0x04,0x1F,0x04,0x04,0x00}, /* * + */
    {0x00,0x00,0x00,0x00,0x0C,0x04,0x08}, {0x00,0x00,0x00,0x1F,0x00,0x00,0x00}, /* , - */
    {0x00,0x00,0x00,0x00,0x00,0x0C,0x0C}, {0x00,0x01,0x02,0x04,0x08,0x10,0x00}, /* . / */
    {0x0E,0x11,0x13,0x15,0x19,0x11,0x0E}, {0x04,0x0C,0x04,0x04,0x04,0x04,0x0E}, /* 0 1 */
    {0x0E,0x11,0x01,0x02,0x04,0x08,0x1F}, {0x1F,0x02,0x04,0x02,0x01,0x11,0x0E}, /* 2 3 */
    {0x02,0x06,0x0A,0x12,0x1F,0x02,0x02}, {0x1F,0x10,0x1E,0x01,0x01,0x11,0x0E}, /* 4 5 */
    {0x06,0x08,0x10,0x1E,0x11,0x11,0x0E}, {0x1F,0x01,0x02,0x04,0x08,0x08,0x08}, /* 6 7 */
    {0x0E,0x11,0x11,0x0E,0x11,0x11,0x0E}, {0x0E,0x11,0x11,0x0F,0x01,0x02,0x0C}, /* 8 9 */
    {0x00,0x0C,0x0C,0x00,0x0C,0x0C,0x00}, {0x00,0x0C,0x0C,0x00,0x0C,0x04,0x08}, /* : ; */
    {0x02,0x04,0x08,0x10,0x08,0x04,0x02}, {0x00,0x00,0x1F,0x00,0x1F,0x00,0x00}, /* < = */
    {0x08,0x04,0x02,0x01,0x02,0x04,0x08}, {0x0E,0x11,0x01,0x02,0x04,0x00,0x04}, /* > ? */
    {0x0E,0x11,0x01,0x0D,0x15,0x15,0x0E}, {0x0E,0x11,0x11,0x11,0x1F,0x11,0x11}, /* @ A */
    {0x1E,0x11,0x11,0x1E,0x11,0x11,0x1E}, {0x0E,0x11,0x10,0x10,0x10,0x11,0x0E}, /* B C */
    {0x1C,0x12,0x11,0x11,0x11,0x12,0x1C}, {0x1F,0x10,0x10,0x1E,0x10,0x10,0x1F}, /* D E */
    {0x1F,0x10,0x10,0x1E,0x10,0x10,0x10}, {0x0E,0x11,0x10,0x17,0x11,0x11,0x0F}, /* F G */
    {0x11,0x11,0x11,0x1F,0x11,0x11,0x11}, {0x0E,0x04,0x04,0x04,0x04,0x04,0x0E}, /* H I */
    {0x07,0x02,0x02,0x02,0x02,0x12,0x0C}, {0x11,0x12,0x14,0x18,0x14,0x12,0x11}, /* J K */
    {0x10,0x10,0x10,0x10,0x10,0x10,0x1F}, {0x11,0x1B,0x15,0x15,0x11,0x11,0x11}, /* L M */
    {0x11,0x11,0x19,0x15,0x13,0x11,0x11}, {0x0E,0x11,0x11,0x11,0x11,0x11,0x0E}, /* N O */
    {0x1E,0x11,0x11,0x1E,0x10,0x10,0x10}, {0x0E,0x11,0x11,0x11,0x15,0x12,0x0D}, /* P Q */
    {0x1E,0x11,0x11,0x1E,0x14,0x12,0x11}, {0x0F,0x10,0x10,0x0E,0x01,0x01,0x1E}, /* R S */
    {0x1F,0x04,0x04,0x04,0x04,0x04,0x04}, {0x11,0x11,0x11,0x11,0x11,0x11,0x0E}, /* T U */
    {0x11,0x11,0x11,0x11,0x11,0x0A,0x04}, {0x11,0x11,0x11,0x15,0x15,0x15,0x0A}, /* V W */
    {0x11,0x11,0x0A,0x04,0x0A,0x11,0x11}, {0x11,0x11,0x11,0x0A,0x04,0x04,0x04}, /* X Y */
    {0x1F,0x01,0x02,0x04,0x08,0x10,0x1F}, {0x0E,0x08,0x08,0x08,0x08,0x08,0x0E}, /* Z [ */
    {0x00,0x10,0x08,0x04,0x02,0x01,0x00}, {0x0E,0x02,0x02,0x02,0x02,0x02,0x0E}, /* \ ] */
    {0x04,0x0A,0x11,0x00,0x00,0x00,0x00}, {0x00,0x00,0x00,0x00,0x00,0x00,0x1F}, /* ^ _ */
    {0x08,0x04,0x02,0x00,0x00,0x00,0x00}, {0x00,0x00,0x0E,0x01,0x0F,0x11,0x0F}, /* ` a */
    {0x10,0x10,0x16,0x19,0x11,0x11,0x1E}, {0x00,0x00,0x0E,0x10,0x10,0x11,0x0E}, /* b c */
    {0x01,0x01,0x0D,0x13,0x11,0x11,0x0F}, {0x00,0x00,0x0E,0x11,0x1F,0x10,0x0E}, /* d e */
    {0x06,0x09,0x08,0x1C,0x08,0x08,0x08}, {0x0F,0x11,0x11,0x11,0x0F,0x01,0x0E}, /* f g */
    {0x10,0x10,0x16,0x19,0x11,0x11,0x11}, {0x04,0x00,0x0C,0x04,0x04,0x04,0x0E}, /* h i */
    {0x02,0x00,0x06,0x02,0x02,0x12,0x0C}, {0x10,0x10,0x12,0x14,0x18,0x14,0x12}, /* j k */
    {0x0C,0x04,0x04,0x04,0x04,0x04,0x0E}, {0x00,0x00,0x1A,0x15,0x15,0x11,0x11}, /* l m */
    {0x00,0x00,0x16,0x19,0x11,0x11,0x11}, {0x00,0x00,0x0E,0x11,0x11,0x11,0x0E}, /* n o */
    {0x1E,0x11,0x11,0x11,0x1E,0x10,0x10}, {0x0F,0x11,0x11,0x11,0x0F,0x01,0x01}, /* p q */
    {0x00,0x00,0x16,0x19,0x10,0x10,0x10}, {0x00,0x00,0x0E,0x10,0x0E,0x01,0x1E}, /* r s */
    {0x08,0x08,0x1C,0x08,0x08,0x09,0x06}, {0x00,0x00,0x11,0x11,0x11,0x13,0x0D}, /* t u */
    {0x00,0x00,0x11,0x11,0x11,0x0A,0x04}, {0x00,0x00,0x11,0x11,0x15,0x15,0x0A}, /* v w */
    {0x00,0x00,0x11,0x0A,0x04,0x0A,0x11}, {0x11,0x11,0x11,0x11,0x0F,0x01,0x0E}, /* x y */
    {0x00,0x00,0x1F,0x02,0x04,0x08,0x1F}, {0x02,0x04,0x04,0x08,0x04,0x04,0x02}, /* z { */
    {0x04,0x04,0x04,0x04,0x04,0x04,0x04}, {0x08,0x04,0x04,0x02,0x04,0x04,0x08}, /* | } */
    {0x00,0x00,0x08,0x15,0x02,0x00,0x00},                                       /* ~ */
};

/* One character with its top left corner at (x, y), each font pixel drawn
   as a scale x scale square. A space or a tab draws nothing, a newline a
   bent arrow, any other character outside printable ASCII a small box. */
LAB_FN void lab_glyph(lab_image *im, int x, int y, int ch, lab_rgb c, int scale)
{
    int row, col;
    unsigned char bits[7] = {0};
    if (ch == 'g' || ch == 'p' || ch == 'q' || ch == 'y') y += 2 * scale; /* the tail goes below */
    if (ch >= 32 && ch < 127) memcpy(bits, lab_font[ch - 32], 7);
    else if (ch == '\n') { bits[1] = 0x01; bits[2] = 0x01; bits[3] = 0x09; bits[4] = 0x1F; bits[5] = 0x08; }
    else if (ch != '\t') { bits[1] = 0x1F; bits[2] = 0x11; bits[3] = 0x11; bits[4] = 0x11; bits[5] = 0x1F; }
    for (row = 0; row < 7; row++)
        for (col = 0; col < 5; col++)
            if (bits[row] & (16 >> col))
                lab_rect(im, x + col * scale, y + row * scale, x + (col + 1) * scale, y + (row + 1) * scale, c);
}

/* A string with its top left corner at (x, y), each character LAB_GLYPH_W
   scale pixels wide. Returns the x just after it, so pieces of text in
   different colours can follow one another. */
LAB_FN int lab_text(lab_image *im, int x, int y, const char *s, lab_rgb c, int scale)
{
    for (; *s; s++, x += LAB_GLYPH_W * scale) lab_glyph(im, x, y, (unsigned char)*s, c, scale);
    return x;
}

/* The width in pixels of lab_text(s) (without the space after the last character). */
LAB_FN int lab_text_width(const char *s, int scale) { return *s ? (int)strlen(s) * LAB_GLYPH_W * scale - scale : 0; }

/* ---- PNG files ------------------------------------------------------------------- */

/* Writes the image to the PNG file `path` with stb_image_write (include
   <stb/stb_image_write.h> before lab.h). Returns 0, or 1 after a one-line
   error on stderr that names the file. */
LAB_FN int lab_write_png(const char *path, const lab_image *im)
{
    if (!stbi_write_png(path, im->w, im->h, 3, im->p, 3 * im->w)) {
        fprintf(stderr, "%s: cannot write %s (does the directory exist?)\n", lab_program, path);
        return 1;
    }
    return 0;
}

/* Writes the image to dir/name and prints "wrote dir/name" on success.
   Returns 0, or 1 after an error naming the file. */
LAB_FN int lab_save_png(const lab_image *im, const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (lab_write_png(path, im)) return 1;
    printf("wrote %s\n", path);
    return 0;
}

#endif /* LAB_H */
