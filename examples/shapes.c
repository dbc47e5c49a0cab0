/* shapes.c - makes the image-captioning data set of examples/caption.c:
   small pictures of two coloured shapes, each with five reference captions
   written in different words, the way MS COCO gives five per photo (deck
   D0, "Image Captioning": "a man riding a bike on a dirt path ..." and four
   more for the same picture).

   One scene: a dark, slightly noisy background and two shapes, each one of
     4 colours   red, green, blue, yellow (every pixel's colour jittered)
     3 shapes    circle, square, triangle (sizes vary)
   placed side by side (one clearly left of the other) or one above the
   other. The two never share both colour and shape. Five references per
   scene, for "a red circle" (L, the left or upper one) and "a blue square"
   (R, the other):
     side by side        one above the other
     L left of R         L above R
     R right of L        R below L
     L to the left of R  L on top of R
     R is to the right of L   R is under L
     L beside R          L over R
   The fifth wording of a side-by-side scene does not say which is left: a
   reference may be vaguer than the picture, as people's captions often are.

   It writes DIR/img_00000.png, DIR/img_00001.png, ... (32 x 32 RGB, with
   stb_image_write) and DIR/captions.txt: a comment line, then one line per
   reference, "file name<TAB>caption", the lines of one image together.
   The directory must exist. The same --seed always gives the same files.

   Build and run (a second or so for 2000 images):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/shapes.c -o build/shapes -lm
       mkdir -p build/shapes_data && ./build/shapes --out build/shapes_data
   then ./build/caption (examples/caption.c) reads them. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"          /* only for rnn_rng, the seeded random numbers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#include "lab.h"   /* options, pictures, PNG files: what every lab needs */
#include "lab_plot.h"

#define SIZE 32              /* width and height of every image; caption.c expects it */
#define N_REFS 5

static const char *colour_names[] = {"red", "green", "blue", "yellow"};
static const unsigned char colour_rgb[][3] = {{215, 45, 40}, {45, 165, 70}, {55, 90, 225}, {230, 200, 45}};
static const char *shape_names[] = {"circle", "square", "triangle"};
enum { N_COLOURS = 4, N_SHAPES = 3, CIRCLE = 0, SQUARE = 1, TRIANGLE = 2 };

typedef struct object { int colour, shape; double x, y, r; } object;

/* Is the point (px, py) inside the object? r is the circle's radius, half
   the square's side (times 0.9, so the areas are alike), and half the base
   of the triangle, which points up and is 2r high. */
static int inside(const object *o, double px, double py)
{
    double dx = px - o->x, dy = py - o->y;
    switch (o->shape) {
    case CIRCLE: return dx * dx + dy * dy <= o->r * o->r;
    case SQUARE: return fabs(dx) <= 0.9 * o->r && fabs(dy) <= 0.9 * o->r;
    default: /* apex (0, -r), base from (-r, r) to (r, r) */
        return dy <= o->r && dy >= -o->r && fabs(dx) <= (dy + o->r) * 0.5;
    }
}

/* Draws a scene: each pixel is the share of its 4 x 4 sub-samples that
   fall inside an object times the object's colour (jittered), over the
   background. Anti-aliased edges make the shapes look like shapes. */
static void draw(unsigned char *img, const object *obj, int n, rnn_rng *rng)
{
    int x, y, k, c, sx, sy;
    double jit[2][3];
    for (k = 0; k < n; k++)
        for (c = 0; c < 3; c++) jit[k][c] = 30 * (rnn_rng_uniform(rng) - 0.5);
    for (y = 0; y < SIZE; y++)
        for (x = 0; x < SIZE; x++) {
            double bg = 38 + 14 * (rnn_rng_uniform(rng) - 0.5), v[3];
            for (c = 0; c < 3; c++) v[c] = bg;
            for (k = 0; k < n; k++) {
                int hits = 0;
                for (sy = 0; sy < 4; sy++)
                    for (sx = 0; sx < 4; sx++)
                        hits += inside(&obj[k], x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
                for (c = 0; c < 3; c++) {
                    double col = colour_rgb[obj[k].colour][c] + jit[k][c];
                    v[c] = v[c] + hits / 16.0 * (col - v[c]);
                }
            }
            for (c = 0; c < 3; c++)
                img[3 * (y * SIZE + x) + c] = (unsigned char)(v[c] < 0 ? 0 : v[c] > 255 ? 255 : v[c] + 0.5);
        }
}

/* A random scene: relation 0 side by side, 1 one above the other; obj[0]
   is the left (upper) object. Centres are drawn until the two objects are
   apart along the relation's axis and roughly level along the other. */
static int make_scene(object *obj, rnn_rng *rng)
{
    int rel = rnn_rng_uniform(rng) < 0.5 ? 0 : 1, k;
    do {
        obj[0].colour = (int)(rnn_rng_uniform(rng) * N_COLOURS);
        obj[0].shape = (int)(rnn_rng_uniform(rng) * N_SHAPES);
        obj[1].colour = (int)(rnn_rng_uniform(rng) * N_COLOURS);
        obj[1].shape = (int)(rnn_rng_uniform(rng) * N_SHAPES);
    } while (obj[0].colour == obj[1].colour && obj[0].shape == obj[1].shape);
    for (;;) {
        double along, across;
        for (k = 0; k < 2; k++) {
            obj[k].r = 4.5 + 2.0 * rnn_rng_uniform(rng);
            obj[k].x = obj[k].r + 1 + (SIZE - 2 * obj[k].r - 2) * rnn_rng_uniform(rng);
            obj[k].y = obj[k].r + 1 + (SIZE - 2 * obj[k].r - 2) * rnn_rng_uniform(rng);
        }
        along = rel == 0 ? obj[1].x - obj[0].x : obj[1].y - obj[0].y;  /* > 0: obj[0] first */
        across = rel == 0 ? obj[1].y - obj[0].y : obj[1].x - obj[0].x;
        if (along >= obj[0].r + obj[1].r + 2 && fabs(across) <= 0.5 * along) break;
    }
    return rel;
}

static void write_refs(FILE *f, const char *name, const object *obj, int rel)
{
    char a[32], b[32];
    sprintf(a, "a %s %s", colour_names[obj[0].colour], shape_names[obj[0].shape]);
    sprintf(b, "a %s %s", colour_names[obj[1].colour], shape_names[obj[1].shape]);
    if (rel == 0) {
        fprintf(f, "%s\t%s left of %s\n", name, a, b);
        fprintf(f, "%s\t%s right of %s\n", name, b, a);
        fprintf(f, "%s\t%s to the left of %s\n", name, a, b);
        fprintf(f, "%s\t%s is to the right of %s\n", name, b, a);
        fprintf(f, "%s\t%s beside %s\n", name, a, b);
    } else {
        fprintf(f, "%s\t%s above %s\n", name, a, b);
        fprintf(f, "%s\t%s below %s\n", name, b, a);
        fprintf(f, "%s\t%s on top of %s\n", name, a, b);
        fprintf(f, "%s\t%s is under %s\n", name, b, a);
        fprintf(f, "%s\t%s over %s\n", name, a, b);
    }
}

/* ---- options: one table gives the parser and --help ---------------------- */

typedef struct config { char out[256]; int count, seed; } config;
#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--out", "DIR", LAB_TEXT, OFF(out), 0, 200, "the directory to write into (it must exist)", 0},
    {"--count", "N", LAB_INT, OFF(count), 1, 99999, "how many images", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the random seed (the same seed, the same files)", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

int main(int argc, char **argv)
{
    config c, d;
    char path[300], name[32];
    unsigned char img[SIZE * SIZE * 3];
    lab_image picture;      /* img seen as a lab.h image, for lab_write_png */
    object obj[2];
    rnn_rng rng;
    FILE *f;
    int i, pr, counts[2] = {0, 0};

    picture.w = SIZE; picture.h = SIZE; picture.p = img;
    memset(&c, 0, sizeof c);
    strcpy(c.out, "build/shapes_data"); c.count = 2000; c.seed = 1;
    d = c;
    pr = lab_parse_options("shapes", options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) {
        printf("usage: shapes [options]\n"
               "Draws %dx%d scenes of two coloured shapes and writes them as PNG files, with\n"
               "%d reference captions each in captions.txt. Options (default in brackets):\n", SIZE, SIZE, N_REFS);
        lab_usage(stdout, NULL, options, N_OPTIONS, &d);
        return 0;
    }
    if (pr) return 2;

    snprintf(path, sizeof path, "%s/captions.txt", c.out);
    if (!(f = fopen(path, "w"))) {
        fprintf(stderr, "shapes: cannot write %s (does the directory exist?)\n", path);
        return 1;
    }
    fprintf(f, "# shapes.c --count %d --seed %d: %d images of %dx%d, %d reference captions each "
               "(file name, a tab, a caption)\n", c.count, c.seed, c.count, SIZE, SIZE, N_REFS);
    rnn_rng_seed(&rng, (uint64_t)c.seed * 0x9e3779b97f4a7c15u + 0x5348u);
    for (i = 0; i < c.count; i++) {
        int rel = make_scene(obj, &rng);
        counts[rel]++;
        draw(img, obj, 2, &rng);
        sprintf(name, "img_%05d.png", i);
        snprintf(path, sizeof path, "%s/%s", c.out, name);
        if (lab_write_png(path, &picture)) { fclose(f); return 1; }
        write_refs(f, name, obj, rel);
    }
    if (fclose(f) != 0) { fprintf(stderr, "shapes: cannot write %s/captions.txt\n", c.out); return 1; }
    printf("wrote %d images (%d side by side, %d one above the other) and %d captions to %s/\n",
           c.count, counts[0], counts[1], N_REFS * c.count, c.out);
    return 0;
}
