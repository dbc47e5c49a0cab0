/* shapes.c - writes the image-captioning data set of examples/caption.c as
   files: small pictures of two coloured shapes, each with five reference
   captions in different words, the way MS COCO gives five per photo (deck
   D0, "Image Captioning"). The scenes and their captions are made by
   lab_data.h (lab_shape_scene, lab_shape_draw, lab_shape_refs); caption.c
   makes the same 2000 scenes in memory when it is given no --data.

   It writes DIR/img_00000.png, DIR/img_00001.png, ... (32 x 32 RGB) and
   DIR/captions.txt: a comment line, then one line per reference, "file
   name<TAB>caption", the lines of one image together. The same --seed
   always gives the same files.

   Build and run (a second or so for 2000 images):
       make build/shapes && ./build/shapes --out build/shapes_data
   then ./build/caption --data build/shapes_data reads them. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"          /* only for rnn_rng, the seeded random numbers */
#include "lab.h"             /* options, outputs */
#include "lab_data.h"        /* the scenes */
#include "lab_plot.h"        /* PNG files */

typedef struct config { char out[256]; int count, seed, help; } config;
#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--out", "DIR", LAB_TEXT, OFF(out), 0, 200, "the directory to write into (made if missing)", 0},
    {"--count", "N", LAB_INT, OFF(count), 1, 99999, "how many images", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the random seed (the same seed, the same files)", 0},
    {"--help", NULL, LAB_FLAG, OFF(help), 0, 1, "show this help and exit (also -h)", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: shapes [options]\n"
    "Draws 32x32 scenes of two coloured shapes and writes them as PNG files, with\n"
    "5 reference captions each in captions.txt. Options (default in brackets):\n";

int main(int argc, char **argv)
{
    config c = {"build/shapes_data", 2000, 1, 0};
    char path[300], name[32], refs[700];
    unsigned char img[LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3];
    lab_image picture;      /* img seen as a lab_plot.h image, for lab_write_png */
    lab_shape obj[2];
    rnn_rng rng;
    FILE *f;
    int i, rc, counts[2] = {0, 0};

    if ((rc = lab_options("shapes", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
    if (!lab_pictures_on()) { lab_write_png("", NULL); return 1; }   /* says why there are no pictures */
    if (!lab_out_path(path, sizeof path, c.out, "captions.txt")) return 1;
    if (!(f = fopen(path, "w"))) { fprintf(stderr, "shapes: cannot write %s\n", path); return 1; }
    fprintf(f, "# shapes.c --count %d --seed %d: %d images of %dx%d, %d reference captions each "
               "(file name, a tab, a caption)\n", c.count, c.seed, c.count, LAB_SHAPES_SIZE, LAB_SHAPES_SIZE, LAB_SHAPES_REFS);
    picture.w = LAB_SHAPES_SIZE; picture.h = LAB_SHAPES_SIZE; picture.p = img;
    rnn_rng_seed(&rng, LAB_SHAPES_RNG(c.seed));
    for (i = 0; i < c.count; i++) {
        int rel = lab_shape_scene(obj, &rng);
        counts[rel]++;
        lab_shape_draw(img, obj, 2, &rng);
        sprintf(name, "img_%05d.png", i);
        snprintf(path, sizeof path, "%s/%s", c.out, name);
        if (lab_write_png(path, &picture)) { fclose(f); return 1; }
        refs[0] = 0;
        lab_shape_refs(refs, name, obj, rel);
        fputs(refs, f);
    }
    if (fclose(f) != 0) { fprintf(stderr, "shapes: cannot write %s/captions.txt\n", c.out); return 1; }
    printf("wrote %d images (%d side by side, %d one above the other) and %d captions to %s/\n",
           c.count, counts[0], counts[1], LAB_SHAPES_REFS * c.count, c.out);
    return 0;
}
