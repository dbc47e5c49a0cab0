/* lab_plot.h - the pictures of the labs: a canvas to draw on (rectangles,
   lines, text in a 5x7 pixel font), plots with axes in data coordinates,
   and PNG files written with stb_image_write (Debian: libstb-dev).

   Include it after lab.h. Without stb_image_write.h (the compiler is asked
   with __has_include, or define LAB_NO_STB) everything still compiles and
   the labs run: lab_save_png then writes nothing, and the first picture
   says in one line that pictures are off and why.

   A lab_image is w x h pixels of 3 bytes (red, green, blue), row after row
   from the top left; (x, y) is column x of row y. Every drawing function
   clips to the image, so drawing partly outside it is safe. A lab_plot is
   a box on an image with data coordinates: lab_plot_line(&p, x, y, n, ...)
   draws a curve of data points, and the axes, grids and ticks are placed
   the same way. */
#ifndef LAB_PLOT_H
#define LAB_PLOT_H
#include "lab.h"

#if !defined(LAB_NO_STB) && defined(__has_include)
#if !__has_include(<stb/stb_image_write.h>)
#define LAB_NO_STB
#endif
#endif
#if !defined(LAB_NO_STB) && !defined(INCLUDE_STB_IMAGE_WRITE_H)
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#endif

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

/* Writes the image to the PNG file `path`. Returns 0, or 1 after a one-line
   error on stderr that names the file. Without stb_image_write it writes
   nothing, says once that pictures are off, and returns 0. */
LAB_FN int lab_write_png(const char *path, const lab_image *im)
{
#ifdef LAB_NO_STB
    static int said;
    if (!said++) fprintf(stderr, "%s: pictures are off: built without stb_image_write.h (Debian: apt-get install libstb-dev)\n", lab_program);
    (void)path; (void)im;
    return 0;
#else
    if (!stbi_write_png(path, im->w, im->h, 3, im->p, 3 * im->w)) {
        fprintf(stderr, "%s: cannot write %s\n", lab_program, path);
        return 1;
    }
    return 0;
#endif
}

/* Can this build write pictures? */
LAB_FN int lab_pictures_on(void)
{
#ifdef LAB_NO_STB
    return 0;
#else
    return 1;
#endif
}

/* Writes the image to dir/name (making dir if it is missing) and prints
   "wrote dir/name". Returns 0, or 1 after an error naming the file. */
LAB_FN int lab_save_png(const lab_image *im, const char *dir, const char *name)
{
    char path[1024];
    if (!lab_out_path(path, sizeof path, dir, name)) return 1;
    if (lab_write_png(path, im)) return 1;
    if (lab_pictures_on()) printf("wrote %s\n", path);
    return 0;
}

/* Saves the image like lab_save_png and frees it; 0 or 1 as lab_save_png. */
LAB_FN int lab_save_png_free(lab_image *im, const char *dir, const char *name)
{
    int st = lab_save_png(im, dir, name);
    lab_image_free(im);
    return st;
}

/* ---- plots: a box in data coordinates ------------------------------------------------ */

/* Colours the labs share. */
static const lab_rgb LAB_WHITE = {255, 255, 255}, LAB_BLACK = {30, 30, 30}, LAB_GREY = {150, 150, 150},
                     LAB_LIGHT = {228, 228, 228}, LAB_RED = {210, 50, 40}, LAB_BLUE = {40, 90, 200},
                     LAB_GREEN = {40, 150, 60}, LAB_ORANGE = {230, 130, 0}, LAB_PURPLE = {150, 60, 170};
/* Curves in turn take these (lab_palette[i % 10]). */
static const lab_rgb lab_palette[10] = {
    {210, 40, 40}, {40, 90, 200}, {20, 150, 60}, {150, 60, 170}, {230, 130, 0},
    {0, 150, 160}, {120, 90, 40}, {90, 90, 90}, {200, 60, 150}, {90, 140, 0}};

/* The box (left, top, w, h) of image im shows x in [x0, x1] left to right
   and y in [y0, y1] bottom to top. With ylog the y axis is logarithmic: y0
   and y1 are decades (-3 is 0.001), and the data are drawn at log10 of
   their value (ylog 1), or are log10 values already (ylog 2). */
typedef struct lab_plot {
    lab_image *im;
    int left, top, w, h;
    double x0, x1, y0, y1;
    int ylog;
} lab_plot;

/* The column of x and the row of y (kept inside the box; a NaN goes to its
   lower edge). */
LAB_FN int lab_plot_px(const lab_plot *p, double x)
{
    double f = p->x1 > p->x0 ? (x - p->x0) / (p->x1 - p->x0) : 0;
    return lab_px(p->left + f * (p->w - 1), p->left, p->left + p->w - 1);
}
LAB_FN int lab_plot_py(const lab_plot *p, double y)
{
    double v = p->ylog == 1 ? (y > 0 ? log10(y) : -1e300) : y;
    double f = p->y1 > p->y0 ? (p->y1 - v) / (p->y1 - p->y0) : 1;
    return lab_px(p->top + f * (p->h - 1), p->top, p->top + p->h - 1);
}

/* The left and bottom axis lines. */
LAB_FN void lab_plot_axes(const lab_plot *p)
{
    lab_rect(p->im, p->left, p->top, p->left + 1, p->top + p->h, LAB_BLACK);
    lab_rect(p->im, p->left, p->top + p->h - 1, p->left + p->w, p->top + p->h, LAB_BLACK);
}

/* A step for about `n` grid lines over [lo, hi]: 1, 2 or 5 times a power of ten. */
LAB_FN double lab_nice_step(double lo, double hi, int n)
{
    double span = hi > lo ? hi - lo : 1, step = pow(10, floor(log10(span / n)));
    if (span / step > 5 * n) step *= 5;
    else if (span / step > 2 * n) step *= 2;
    return step;
}

/* Widens [*lo, *hi] to whole multiples of step. */
LAB_FN void lab_round_range(double *lo, double *hi, double step)
{
    *lo = floor(*lo / step + 1e-9) * step;
    *hi = ceil(*hi / step - 1e-9) * step;
    if (*hi <= *lo) *hi = *lo + step;
}

/* Widens [*lo, *hi] to take in v[0..n-1] (NaN and, for a log axis, values
   <= 0 are left out). */
LAB_FN void lab_range_of(const double *v, int n, int positive_only, double *lo, double *hi)
{
    int i;
    for (i = 0; i < n; i++) {
        if (!(v[i] == v[i]) || (positive_only && !(v[i] > 0))) continue;
        if (v[i] < *lo) *lo = v[i];
        if (v[i] > *hi) *hi = v[i];
    }
}

/* Horizontal grid lines with labels on the left: at every multiple of
   `step` in [y0, y1] (log axis: every decade, labelled every `step`
   decades, "1", "1e-3"...). fmt prints a label ("%g", "%.0f%%" with the
   value times 100 when percent is set). */
LAB_FN void lab_plot_ygrid(const lab_plot *p, double step, const char *fmt, int percent, int scale)
{
    char label[32];
    double v;
    int i, n = p->ylog ? (int)(p->y1 - p->y0 + 0.5) : (int)((p->y1 - p->y0) / step + 0.5);
    for (i = 0; i <= n; i++) {
        int y;
        v = p->ylog ? p->y0 + i : (floor(p->y0 / step + 0.5) + i) * step;
        y = lab_plot_py(p, p->ylog == 1 ? pow(10, v) : v);
        lab_rect(p->im, p->left, y, p->left + p->w, y + 1, LAB_LIGHT);
        if (p->ylog && (int)floor(v + 0.5) % (int)step) continue;
        lab_rect(p->im, p->left - 6, y, p->left, y + 1, LAB_BLACK);
        if (p->ylog) {
            if ((int)floor(v + 0.5) == 0) snprintf(label, sizeof label, "1");
            else snprintf(label, sizeof label, "1e%d", (int)floor(v + 0.5));
        } else snprintf(label, sizeof label, fmt, percent ? 100 * v : v);
        lab_text(p->im, p->left - 10 - lab_text_width(label, scale), y - 7 * scale / 2, label, LAB_BLACK, scale);
    }
}

/* A tick below the box at x, its label centred under it (NULL: "%g" of x);
   with grid, a light vertical line through the box. */
LAB_FN void lab_plot_xtick(const lab_plot *p, double x, const char *label, int grid, int scale)
{
    char buf[32];
    int px = lab_plot_px(p, x), y = p->top + p->h;
    if (!label) { snprintf(buf, sizeof buf, "%g", x); label = buf; }
    if (grid) lab_rect(p->im, px, p->top, px + 1, y, LAB_LIGHT);
    lab_rect(p->im, px, y, px + 1, y + 6, LAB_BLACK);
    lab_text(p->im, px - lab_text_width(label, scale) / 2, y + 9, label, LAB_BLACK, scale);
}

/* Ticks at every multiple of step in [x0, x1]. */
LAB_FN void lab_plot_xticks(const lab_plot *p, double step, int grid, int scale)
{
    double k;   /* x = k step, k whole: no rounding errors pile up (no "-2.8e-16" for 0) */
    for (k = ceil(p->x0 / step - 1e-9); k * step <= p->x1 + step * 1e-9; k++)
        lab_plot_xtick(p, k * step, NULL, grid, scale);
}

/* A curve through the points (x[i], y[i]), i = 0..n-1 (x NULL: x = i), as
   lab_line draws it: `width` pixels, dashed when dash > 0. A point whose
   y is NaN (or <= 0 on a log axis) breaks the curve. One point: a dot. */
LAB_FN void lab_plot_line(const lab_plot *p, const double *x, const double *y, int n, lab_rgb c, int width, int dash)
{
    int i;
    for (i = 0; i < n; i++) {
        double xi = x ? x[i] : i;
        int ok = y[i] == y[i] && (p->ylog != 1 || y[i] > 0);
        if (n == 1 && ok) lab_rect(p->im, lab_plot_px(p, xi) - 2, lab_plot_py(p, y[i]) - 2,
                                   lab_plot_px(p, xi) + 3, lab_plot_py(p, y[i]) + 3, c);
        if (i == 0 || !ok || !(y[i - 1] == y[i - 1]) || (p->ylog == 1 && !(y[i - 1] > 0))) continue;
        lab_line(p->im, lab_plot_px(p, x ? x[i - 1] : i - 1), lab_plot_py(p, y[i - 1]),
                 lab_plot_px(p, xi), lab_plot_py(p, y[i]), c, width, dash);
    }
}

/* A horizontal line at y across the box, and a vertical one at x. */
LAB_FN void lab_plot_hline(const lab_plot *p, double y, lab_rgb c, int width, int dash)
{
    int py = lab_plot_py(p, y);
    lab_line(p->im, p->left, py, p->left + p->w - 1, py, c, width, dash);
}
LAB_FN void lab_plot_vline(const lab_plot *p, double x, lab_rgb c, int width, int dash)
{
    int px = lab_plot_px(p, x);
    lab_line(p->im, px, p->top, px, p->top + p->h - 1, c, width, dash);
}

/* The box between x = xa and x = xb tinted with c (e.g. the test months). */
LAB_FN void lab_plot_xband(const lab_plot *p, double xa, double xb, lab_rgb c)
{
    lab_rect(p->im, lab_plot_px(p, xa), p->top, lab_plot_px(p, xb) + 1, p->top + p->h, c);
}

/* One legend entry at (x, y): a short stretch of the curve, then its label.
   Returns the x just after the label, for the next entry on the line. */
LAB_FN int lab_legend(lab_image *im, int x, int y, lab_rgb c, int width, int dash, const char *label, int scale)
{
    lab_line(im, x, y + 7 * scale / 2, x + 36, y + 7 * scale / 2, c, width, dash);
    return lab_text(im, x + 46, y, label, LAB_BLACK, scale) + 24;
}

/* A colour for v in [-1, 1]: blue below 0, white at 0, red above. */
LAB_FN lab_rgb lab_diverging(double v)
{
    return v >= 0 ? lab_mix(LAB_WHITE, lab_colour(200, 30, 30), v) : lab_mix(LAB_WHITE, lab_colour(30, 80, 200), -v);
}

/* ---- charts: curves in a box, with axes and a legend -------------------------------- */

typedef enum lab_style { LAB_LINE, LAB_DOTS, LAB_BARS } lab_style;

/* One curve: the points (x[i], y[i]), i = 0..n-1 (x NULL: x = i). LAB_LINE
   joins them (a NaN y breaks the line), LAB_DOTS draws a dot at each (of
   colours[i] if colours is given, with names[i] beside it if given),
   LAB_BARS a bar from 0 up to each, `width` pixels wide, shifted `dash`
   pixels right (to set bars of several curves side by side). */
typedef struct lab_curve {
    const double *x, *y;
    int n;
    lab_rgb colour;
    int width, dash;
    const char *label;          /* in the legend; NULL: not listed           */
    lab_style style;
    const lab_rgb *colours;     /* LAB_DOTS: one colour per point (or NULL)   */
    const char *const *names;   /* LAB_DOTS: a word beside a point (or NULL)  */
} lab_curve;

/* A chart: a box of w x h pixels with the curves, a grid, tick labels on
   the left (y) and below (x), a title above and a legend below. */
typedef struct lab_chart {
    const char *title, *x_label;
    int w, h;                   /* the box (0: 760 x 380)                    */
    double x0, x1, y0, y1;      /* the ranges; x1 <= x0 or y1 <= y0: from the curves */
    int ylog;                   /* y on a log axis, whole decades: 1 data, 2 log10 of the data */
    double x_step, y_step;      /* tick steps (0: about 5 ticks); ylog: label every y_step decades */
    int y_percent;              /* y labels as percentages: 0.25 -> "25%"    */
    const double *x_ticks;      /* instead of x_step: ticks at these x ...   */
    const char *const *x_tick_labels; /* ... with these labels                */
    int n_x_ticks;
    struct { double x0, x1; lab_rgb colour; } band[3]; /* tinted stretches of x (used when x1 > x0) */
    const lab_curve *curves;
    int n_curves;
    int scale;                  /* the text's size (0: 1)                    */
} lab_chart;

/* The legend's columns: two if every label fits in half the box, else one. */
LAB_FN int lab__legend_columns(const lab_chart *ch)
{
    int s = ch->scale ? ch->scale : 1, i;
    for (i = 0; i < ch->n_curves; i++)
        if (ch->curves[i].label && 46 + lab_text_width(ch->curves[i].label, s) + 24 > (ch->w ? ch->w : 760) / 2) return 1;
    return 2;
}

/* The size of the whole chart (box, labels, title, legend) in pixels. */
LAB_FN void lab_chart_size(const lab_chart *ch, int *w, int *h)
{
    int s = ch->scale ? ch->scale : 1, i, rows = 0, cols = lab__legend_columns(ch);
    for (i = 0; i < ch->n_curves; i++) rows += ch->curves[i].label != NULL;
    *w = 14 * s * 6 + (ch->w ? ch->w : 760) + 30;
    *h = 14 * s + 18 + (ch->h ? ch->h : 380) + 24 * s + (ch->x_label ? 12 * s : 0) + (rows + cols - 1) / cols * 12 * s + 14;
}

/* Draws the chart with its top left corner at (x, y) of im; returns the box
   (a lab_plot), so a lab can draw more in the same coordinates. */
LAB_FN lab_plot lab_chart_draw(lab_image *im, int x, int y, const lab_chart *ch)
{
    int s = ch->scale ? ch->scale : 1, i, k, lx, ly, col = 0;
    double lo = HUGE_VAL, hi = -HUGE_VAL, xlo = HUGE_VAL, xhi = -HUGE_VAL, step;
    lab_plot p;
    p.im = im; p.left = x + 14 * s * 6; p.top = y + 14 * s + 18;
    p.w = ch->w ? ch->w : 760; p.h = ch->h ? ch->h : 380; p.ylog = ch->ylog;
    for (i = 0; i < ch->n_curves; i++) {
        const lab_curve *c = &ch->curves[i];
        lab_range_of(c->y, c->n, ch->ylog == 1, &lo, &hi);
        if (c->style == LAB_BARS) { if (lo > 0) lo = 0; if (hi < 0) hi = 0; }
        if (c->x) lab_range_of(c->x, c->n, 0, &xlo, &xhi);
        else { if (xlo > 0) xlo = 0; if (xhi < c->n - 1) xhi = c->n - 1; }
    }
    p.x0 = ch->x1 > ch->x0 ? ch->x0 : xlo; p.x1 = ch->x1 > ch->x0 ? ch->x1 : xhi;
    if (!(p.x1 > p.x0)) p.x1 = p.x0 + 1;
    if (ch->y1 > ch->y0) { lo = ch->y0; hi = ch->y1; }
    else if (!(hi >= lo)) { lo = ch->ylog == 1 ? 0.1 : 0; hi = 1; }
    if (ch->ylog) {
        p.y0 = ch->y1 > ch->y0 ? lo : ch->ylog == 1 ? floor(log10(lo)) : floor(lo);
        p.y1 = ch->y1 > ch->y0 ? hi : ch->ylog == 1 ? ceil(log10(hi)) : ceil(hi);
        if (p.y1 <= p.y0) p.y1 = p.y0 + 1;
        step = ch->y_step > 0 ? ch->y_step : 1;
        while ((p.y1 - p.y0) / step > 10) step = step == 1 ? 2 : step == 2 ? 5 : step * 2;
    } else {
        step = ch->y_step > 0 ? ch->y_step : lab_nice_step(lo, hi, 5);
        lab_round_range(&lo, &hi, step);
        p.y0 = lo; p.y1 = hi;
    }
    if (ch->title) lab_text(im, x + 10, y + 6, ch->title, LAB_BLACK, s);
    for (i = 0; i < 3; i++)
        if (ch->band[i].x1 > ch->band[i].x0) lab_plot_xband(&p, ch->band[i].x0, ch->band[i].x1, ch->band[i].colour);
    lab_plot_ygrid(&p, step, !ch->y_percent ? "%g" : step < 0.01 ? "%.1f%%" : "%.0f%%", ch->y_percent, s);
    if (ch->n_x_ticks) for (i = 0; i < ch->n_x_ticks; i++) lab_plot_xtick(&p, ch->x_ticks[i], ch->x_tick_labels[i], 1, s);
    else lab_plot_xticks(&p, ch->x_step > 0 ? ch->x_step : lab_nice_step(p.x0, p.x1, 5), 1, s);
    lab_plot_axes(&p);
    for (i = 0; i < ch->n_curves; i++) {
        const lab_curve *c = &ch->curves[i];
        if (c->style == LAB_LINE) { lab_plot_line(&p, c->x, c->y, c->n, c->colour, c->width ? c->width : 2, c->dash); continue; }
        for (k = 0; k < c->n; k++) {
            int px = lab_plot_px(&p, c->x ? c->x[k] : k), py = lab_plot_py(&p, c->y[k]), r = c->width ? c->width : 2;
            if (!(c->y[k] == c->y[k])) continue;
            if (c->style == LAB_BARS) {
                int p0 = lab_plot_py(&p, 0);
                lab_rect(im, px + c->dash, py < p0 ? py : p0, px + c->dash + r, py < p0 ? p0 : py + 1, c->colour);
                continue;
            }
            lab_rect(im, px - r, py - r, px + r + 1, py + r + 1, c->colours ? c->colours[k] : c->colour);
            if (c->names && c->names[k]) lab_text(im, px + r + 4, py - 7 * s / 2, c->names[k], LAB_BLACK, s);
        }
    }
    ly = p.top + p.h + 24 * s;
    if (ch->x_label) {
        lab_text(im, p.left + p.w - lab_text_width(ch->x_label, s), ly, ch->x_label, LAB_BLACK, s);
        ly += 12 * s;
    }
    for (i = 0, lx = p.left, k = lab__legend_columns(ch); i < ch->n_curves; i++) {   /* the legend */
        const lab_curve *c = &ch->curves[i];
        if (!c->label) continue;
        lx = p.left + (col % k) * (p.w / 2);
        if (c->style == LAB_LINE) lab_legend(im, lx, ly, c->colour, c->width ? c->width : 2, c->dash, c->label, s);
        else { lab_rect(im, lx + 14, ly + 1, lx + 14 + 7 * s, ly + 1 + 7 * s, c->colour); lab_text(im, lx + 46, ly, c->label, LAB_BLACK, s); }
        if (col++ % k == k - 1) ly += 12 * s;
    }
    return p;
}

/* Draws n charts side by side (wide 0) or one under the other (wide 1)
   under a title line, and saves them to dir/name. 0, or 1 after an error. */
LAB_FN int lab_charts_save(const lab_chart *ch, int n, int stacked, const char *title, const char *dir, const char *name)
{
    lab_image im;
    int i, w = 0, h = 0, cw, chh, x = 0, y = title ? 30 : 0;
    for (i = 0; i < n; i++) {
        lab_chart_size(&ch[i], &cw, &chh);
        if (stacked) { w = cw > w ? cw : w; h += chh; } else { w += cw; h = chh > h ? chh : h; }
    }
    if (lab_image_new(&im, w, h + y, LAB_WHITE)) return 1;
    if (title) lab_text(&im, 10, 8, title, LAB_BLACK, ch[0].scale ? ch[0].scale : 1);
    for (i = 0; i < n; i++) {
        lab_chart_draw(&im, x, y, &ch[i]);
        lab_chart_size(&ch[i], &cw, &chh);
        if (stacked) y += chh; else x += cw;
    }
    return lab_save_png_free(&im, dir, name);
}

#endif /* LAB_PLOT_H */
