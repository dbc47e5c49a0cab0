/* Checkpoints: round trips, exact resume, safe saving, and hostile files.
   ./test_checkpoint --write-crafted DIR writes the crafted files of the
   table below into DIR instead (make fuzz puts them in its seed corpus). */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* fork, symlink, setrlimit, opendir */
#endif
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _WIN32
#include <direct.h>
#define make_dir(p) _mkdir(p)
#else
#include <unistd.h>
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#define make_dir(p) mkdir(p, 0755)
#endif

static void make_model(rnn_model *m, rnn_cell cell, int layers, int gru_flags, uint64_t seed)
{
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    d.cell = cell; d.input_size = 5; d.hidden_size = 6; d.output_size = 5; d.num_layers = layers;
    d.gru_flags = gru_flags; d.seed = seed;
    rnn_model_init(m, &d);
}

static void test_round_trip(void)
{
    int c;
    for (c = 1; c < RNN_CELL_COUNT; c++) { /* every cell of the table */
        rnn_model a, b; unsigned char *buf; size_t len; rnn_checkpoint ck; rnn_status st;
        int x[6] = {0, 1, 2, 3, 4, 0}, same;
        rnn_batch bt;
        memset(&ck, 0, sizeof ck); memset(&bt, 0, sizeof bt);
        make_model(&a, (rnn_cell)c, 2, RNN_GRU_RESET_BEFORE, 3);
        st = rnn_save_memory(&a, NULL, &buf, &len);
        st = st == RNN_OK ? rnn_load_memory(&b, &ck, buf, len) : st;
        same = st == RNN_OK && b.n_params == a.n_params && memcmp(a.params, b.params, sizeof(rnn_real) * a.n_params) == 0 &&
               a.desc.cell == b.desc.cell && a.desc.output == b.desc.output && a.desc.num_layers == b.desc.num_layers &&
               a.desc.input_size == b.desc.input_size && a.desc.hidden_size == b.desc.hidden_size &&
               a.desc.output_size == b.desc.output_size && a.desc.gru_flags == b.desc.gru_flags; /* not the seed: not saved */
        if (same) {
            rnn_real ya[30];
            bt.T = 3; bt.B = 2; bt.x_tokens = x;
            rnn_forward(&a, &bt, NULL); memcpy(ya, a.y, sizeof ya);
            rnn_forward(&b, &bt, NULL);
            same = memcmp(ya, b.y, sizeof ya) == 0;
        }
        CHECK(same, "%s, 2 layers: save then load gives the same description, weights and outputs (%s%s%s)",
              rnn_cell_name((rnn_cell)c), rnn_status_string(st), ck.error[0] ? ": " : "", ck.error);
        rnn_free_buffer(buf);
        rnn_model_free(&a); rnn_model_free(&b);
    }
}

/* Trains n steps of truncated BPTT over a token stream, with random chunk
   starts drawn from rng every 5 steps (so the rng and data position matter). */
static void train(rnn_model *m, rnn_optim *o, rnn_rng *r, int64_t *pos, int64_t *step, int n)
{
    static int stream[200];
    int i, T = 7, B = 2, x[14], y[14], k;
    rnn_batch b;
    for (i = 0; i < 200; i++) stream[i] = (i * 7 + i / 3) % 5;
    memset(&b, 0, sizeof b);
    b.T = T; b.B = B; b.x_tokens = x; b.y_tokens = y;
    for (k = 0; k < n; k++, (*step)++) {
        if (*step % 5 == 0) { *pos = (int64_t)(rnn_rng_next(r) % 150); rnn_reset_state(m); }
        for (i = 0; i < T * B; i++) {
            int t = i / B, bb = i % B;
            x[i] = stream[*pos + t + 20 * bb]; y[i] = stream[*pos + t + 1 + 20 * bb];
        }
        rnn_zero_grad(m);
        rnn_forward(m, &b, NULL);
        rnn_backward(m);
        rnn_clip_by_global_norm(m, 1);
        rnn_optim_step(o, m->params, m->grads);
        rnn_carry_state(m);
        *pos += 1;
    }
}

static void test_exact_resume(void)
{
    static const rnn_optim_kind kinds[] = {RNN_SGD, RNN_ADAGRAD, RNN_RMSPROP, RNN_ADAM};
    size_t k;
    for (k = 0; k < 4; k++) {
        rnn_model a, b; rnn_optim oa, ob; rnn_optim_desc od; rnn_rng ra, rb;
        rnn_checkpoint ck; int64_t pa = 0, sa = 0, pb = 0, sb = 0; rnn_status st; int same;
        memset(&od, 0, sizeof od); od.kind = kinds[k]; od.momentum = (rnn_real)0.9; od.lr = (rnn_real)0.01;
        /* 2N steps straight */
        make_model(&a, RNN_LSTM, 2, 0, 5); rnn_optim_init(&oa, &od, a.n_params); rnn_rng_seed(&ra, 77);
        train(&a, &oa, &ra, &pa, &sa, 24);
        /* N steps, save, load into fresh structs, N more */
        make_model(&b, RNN_LSTM, 2, 0, 5); rnn_optim_init(&ob, &od, b.n_params); rnn_rng_seed(&rb, 77);
        train(&b, &ob, &rb, &pb, &sb, 12);
        memset(&ck, 0, sizeof ck);
        ck.optim = &ob; ck.with_state = 1; ck.rng_state = rb.state; ck.step = sb; ck.data_pos = pb;
        st = rnn_save("build/resume_test.safetensors", &b, &ck);
        rnn_model_free(&b); rnn_optim_free(&ob);
        memset(&ck, 0, sizeof ck);
        ck.optim = &ob; ck.with_state = 1;
        if (st == RNN_OK) st = rnn_load("build/resume_test.safetensors", &b, &ck);
        if (st == RNN_OK) {
            rb.state = ck.rng_state; sb = ck.step; pb = ck.data_pos;
            train(&b, &ob, &rb, &pb, &sb, 12);
        }
        same = st == RNN_OK && memcmp(a.params, b.params, sizeof(rnn_real) * a.n_params) == 0 &&
               memcmp(oa.m1, ob.m1, sizeof(rnn_real) * a.n_params) == 0 && oa.step == ob.step;
        CHECK(same, "exact resume (%s): 24 steps straight = 12, save, load, 12 more, bit for bit (%s %s)",
              kinds[k] == RNN_SGD ? "SGD momentum" : kinds[k] == RNN_ADAGRAD ? "Adagrad" : kinds[k] == RNN_RMSPROP ? "RMSprop" : "Adam",
              rnn_status_string(st), ck.error);
        rnn_model_free(&a); rnn_optim_free(&oa);
        if (st == RNN_OK) { rnn_model_free(&b); rnn_optim_free(&ob); }
    }
    remove("build/resume_test.safetensors");
}

static void test_safe_save(void)
{
    rnn_model a, b, c; rnn_checkpoint ck; rnn_status st;
    const char *path = "build/safe_test.safetensors";
    make_model(&a, RNN_GRU, 1, 0, 1);
    make_model(&b, RNN_GRU, 1, 0, 2);
    memset(&ck, 0, sizeof ck);
    remove(path);
    CHECK(rnn_save(path, &a, &ck) == RNN_OK, "save a checkpoint");
    st = rnn_save("build/no_such_dir/x.safetensors", &b, &ck);
    CHECK(st == RNN_ERR_IO && strstr(ck.error, "temporary") != NULL,
          "a save into a folder that does not exist returns %s (\"%s\")", rnn_status_string(st), ck.error);
    st = rnn_load(path, &c, &ck);
    CHECK(st == RNN_OK && memcmp(c.params, a.params, sizeof(rnn_real) * a.n_params) == 0,
          "the checkpoint is intact");
    if (st == RNN_OK) rnn_model_free(&c);
    /* saving over an existing file twice: rename() on Windows refuses to
       replace one, so every save after the first used to fail there */
    CHECK(rnn_save(path, &b, &ck) == RNN_OK && rnn_load(path, &c, &ck) == RNN_OK &&
          memcmp(c.params, b.params, sizeof(rnn_real) * b.n_params) == 0, "a second save replaces the checkpoint");
    rnn_model_free(&c);
    CHECK(rnn_save(path, &a, &ck) == RNN_OK && rnn_load(path, &c, &ck) == RNN_OK &&
          memcmp(c.params, a.params, sizeof(rnn_real) * a.n_params) == 0, "and a third one too (%s)", ck.error);
    rnn_model_free(&c);
    make_dir("build/safe_test.safetensors.tmp"); /* a stale temporary of the old fixed name */
    st = rnn_save(path, &b, &ck);
    CHECK(st == RNN_OK, "a stale path.tmp (here a folder) does not block saving: %s %s", rnn_status_string(st), ck.error);
    rmdir("build/safe_test.safetensors.tmp");
    CHECK(rnn_load("build/no_such_file.safetensors", &c, &ck) == RNN_ERR_IO, "a missing file: %s (%s)", rnn_status_string(RNN_ERR_IO), ck.error);
    { /* a file that is not a checkpoint: the message names the file, then what is wrong in it */
        FILE *f = fopen("build/not_a_checkpoint.safetensors", "wb");
        rnn_status sl, sw;
        char first[sizeof ck.error];
        if (f) { fputs("hello, not a checkpoint", f); fclose(f); }
        sl = rnn_load("build/not_a_checkpoint.safetensors", &c, &ck);
        memcpy(first, ck.error, sizeof first);
        sw = rnn_load_weights("build/not_a_checkpoint.safetensors", &b, &ck);
        CHECK(f && sl == RNN_ERR_FORMAT && sw == RNN_ERR_FORMAT && strncmp(first, "build/not_a_checkpoint.safetensors: ", 36) == 0 &&
              strncmp(ck.error, "build/not_a_checkpoint.safetensors: ", 36) == 0,
              "rnn_load and rnn_load_weights of a file that is not a checkpoint: \"%s\"", first);
        remove("build/not_a_checkpoint.safetensors");
    }
    remove(path);
    rnn_model_free(&a); rnn_model_free(&b);
}

#ifndef _WIN32
static int same_file(const char *path, const unsigned char *want, size_t n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *got = (unsigned char *)malloc(n + 1);
    size_t k = f && got ? fread(got, 1, n + 1, f) : 0;
    int same = f && got && k == n && memcmp(got, want, n) == 0;
    if (f) fclose(f);
    free(got);
    return same;
}

/* files in dir whose name holds ".tmp" (the temporary files of rnn_save) */
static int temporaries_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d) return -1;
    while ((e = readdir(d)) != NULL) if (strstr(e->d_name, ".tmp")) n++;
    closedir(d);
    return n;
}

static void save_in_child(const char *path, const rnn_model *m, int fsize_limit)
{
    rnn_checkpoint ck; struct rlimit rl;
    memset(&ck, 0, sizeof ck);
    if (fsize_limit) { /* write() fails with EFBIG past the limit */
        signal(SIGXFSZ, SIG_IGN);
        rl.rlim_cur = rl.rlim_max = (rlim_t)fsize_limit;
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    _exit(rnn_save(path, m, &ck) == RNN_OK ? 0 : ck.error[0] ? 3 : 4);
}

/* The attacks on a fixed temporary name, the mode, and writers racing. */
static void test_save_attacks(void)
{
    const char *dir = "build/save_attacks", *path = "build/save_attacks/m.safetensors";
    const char *victim = "build/save_attacks/victim.txt";
    rnn_model a, b; rnn_checkpoint ck; rnn_status st; struct stat sb;
    unsigned char *abuf, *bbuf; size_t alen, blen;
    int status, bad;
    FILE *f;
    make_dir(dir);
    remove(path); remove(victim); remove("build/save_attacks/m.safetensors.tmp");
    make_model(&a, RNN_LSTM, 1, 0, 1);
    make_model(&b, RNN_LSTM, 1, 0, 2);
    memset(&ck, 0, sizeof ck); /* the bytes rnn_save writes with this zeroed ck */
    rnn_save_memory(&a, &ck, &abuf, &alen);
    rnn_save_memory(&b, &ck, &bbuf, &blen);
    /* a symbolic link planted at the old fixed name path.tmp */
    f = fopen(victim, "wb"); fputs("precious", f); fclose(f);
    CHECK(symlink("victim.txt", "build/save_attacks/m.safetensors.tmp") == 0, "plant a symbolic link at path.tmp");
    st = rnn_save(path, &a, &ck);
    CHECK(st == RNN_OK && same_file(victim, (const unsigned char *)"precious", 8) && same_file(path, abuf, alen),
          "a symbolic link at path.tmp is not followed: its target is untouched and path is the checkpoint (%s)", rnn_status_string(st));
    remove("build/save_attacks/m.safetensors.tmp");
    /* the mode of the file replaced is kept */
    chmod(path, 0444);
    st = rnn_save(path, &b, &ck);
    CHECK(st == RNN_OK && stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0444 && same_file(path, bbuf, blen),
          "saving over a 0444 checkpoint replaces it and keeps 0444 (mode %o)", (unsigned)(sb.st_mode & 0777));
    chmod(path, 0640);
    st = rnn_save(path, &a, &ck);
    CHECK(st == RNN_OK && stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0640, "and a 0640 one stays 0640 (mode %o)", (unsigned)(sb.st_mode & 0777));
    /* failures leave no temporary file and the old checkpoint as it was */
    make_dir("build/save_attacks/adir");
    st = rnn_save("build/save_attacks/adir", &a, &ck);
    CHECK(st == RNN_ERR_IO && temporaries_in(dir) == 0,
          "saving over a folder fails (%s: \"%s\") and leaves no temporary file", rnn_status_string(st), ck.error);
    rmdir("build/save_attacks/adir");
    if (fork() == 0) save_in_child(path, &b, 1000); /* the disk is full after 1000 bytes */
    wait(&status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3 && same_file(path, abuf, alen) && temporaries_in(dir) == 0,
          "a write that fails half way returns an error, leaves the old checkpoint whole and no temporary file (exit %d)",
          WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    /* four writers, 25 saves each, to one path: every save succeeds, and
       the file is always one whole checkpoint, one of theirs */
    {
        rnn_model w[4]; unsigned char *wb[4]; size_t wl[4]; pid_t pid[4]; int i, j, whole = 1, okays = 1;
        for (i = 0; i < 4; i++) { make_model(&w[i], RNN_LSTM, 1, 0, (uint64_t)(10 + i)); rnn_save_memory(&w[i], &ck, &wb[i], &wl[i]); }
        for (i = 0; i < 4; i++)
            if ((pid[i] = fork()) == 0) {
                for (j = 0; j < 25; j++) {
                    memset(&ck, 0, sizeof ck);
                    if (rnn_save(path, &w[i], &ck) != RNN_OK) _exit(1);
                }
                _exit(0);
            }
        for (j = 0; j < 200; j++) { /* meanwhile, read the file: always whole */
            rnn_model r; rnn_checkpoint rk; memset(&rk, 0, sizeof rk);
            if (rnn_load(path, &r, &rk) != RNN_OK) whole = 0; else rnn_model_free(&r);
        }
        for (i = 0; i < 4; i++) { waitpid(pid[i], &status, 0); if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) okays = 0; }
        bad = 1;
        for (i = 0; i < 4; i++) if (same_file(path, wb[i], wl[i])) bad = 0;
        CHECK(okays && whole && !bad && temporaries_in(dir) == 0,
              "4 processes saving 25 times each to one path: every save returns OK (%s), a reader never sees a broken file (%s), "
              "the file is one writer's checkpoint (%s), no temporary file is left", okays ? "yes" : "no", whole ? "yes" : "no", bad ? "no" : "yes");
        for (i = 0; i < 4; i++) { rnn_free_buffer(wb[i]); rnn_model_free(&w[i]); }
    }
    remove(path); remove(victim); rmdir(dir);
    rnn_free_buffer(abuf); rnn_free_buffer(bbuf);
    rnn_model_free(&a); rnn_model_free(&b);
}
#endif

/* -- hostile files: a valid small checkpoint, edited -- */
static unsigned char *file_with_header(const char *json, const unsigned char *data, size_t dlen, size_t *len)
{
    size_t N = strlen(json), k;
    unsigned char *f = (unsigned char *)malloc(8 + N + dlen + 1);
    for (k = 0; k < 8; k++) f[k] = (unsigned char)((uint64_t)N >> (8 * k));
    memcpy(f + 8, json, N);
    if (dlen) memcpy(f + 8 + N, data, dlen);
    *len = 8 + N + dlen;
    return f;
}

static void test_hostile(void)
{
    rnn_model m, target; unsigned char *good; size_t glen, cut; rnn_checkpoint ck; rnn_status st;
    int crashes_avoided = 1, i;
    unsigned char zeros[4096];
    char nest[2200];
    struct { const char *what; const char *json; size_t dlen; rnn_status expect; } table[] = {
        {"an empty header", "", 0, RNN_ERR_FORMAT},
        {"a header that is not JSON", "hello world", 0, RNN_ERR_FORMAT},
        {"a JSON array instead of an object", "[1,2,3]", 0, RNN_ERR_FORMAT},
        {"an unterminated string", "{\"weight_ih_l0", 0, RNN_ERR_FORMAT},
        {"deeply nested JSON", NULL, 0, RNN_ERR_FORMAT},
        {"an unknown dtype", "{\"head.bias\":{\"dtype\":\"Q7\",\"shape\":[5],\"data_offsets\":[0,20]}}", 20, RNN_ERR_FORMAT},
        {"BF16 (not read)", "{\"head.bias\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[0,10]}}", 10, RNN_ERR_FORMAT},
        {"a shape that disagrees with the data size", "{\"head.bias\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,20]}}", 20, RNN_ERR_FORMAT},
        {"offsets past the end", "{\"head.bias\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,20]}}", 8, RNN_ERR_FORMAT},
        {"offsets reversed", "{\"head.bias\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[20,0]}}", 20, RNN_ERR_FORMAT},
        {"overlapping tensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,20]},\"b\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[4,24]}}", 24, RNN_ERR_FORMAT},
        {"a hole between tensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, RNN_ERR_FORMAT},
        {"a duplicate tensor", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, RNN_ERR_FORMAT},
        {"a shape whose product overflows", "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,0]}}", 0, RNN_ERR_FORMAT},
        {"a dimension with 20 digits", "{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}", 4, RNN_ERR_FORMAT},
        {"a negative offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4, RNN_ERR_FORMAT},
        {"a missing field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, RNN_ERR_FORMAT},
        {"an unknown field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":[1]}}", 4, RNN_ERR_FORMAT},
        {"trailing text after the JSON", "{} extra", 0, RNN_ERR_FORMAT},
        {"a metadata value that is not a string", "{\"__metadata__\":{\"format\":1}}", 0, RNN_ERR_FORMAT},
        {"no rnn.h metadata (a valid but foreign file)", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, RNN_ERR_FORMAT},
        {"a model with an impossible size", "{\"__metadata__\":{\"format\":\"rnn.h\",\"cell\":\"lstm\",\"output\":\"softmax\",\"input_size\":\"4\",\"hidden_size\":\"2000000000\",\"output_size\":\"4\"}}", 0, RNN_ERR_ARG},
        {"missing tensors", "{\"__metadata__\":{\"format\":\"rnn.h\",\"cell\":\"lstm\",\"output\":\"softmax\",\"input_size\":\"4\",\"hidden_size\":\"3\",\"output_size\":\"4\"}}", 0, RNN_ERR_FORMAT},
    };
    memset(zeros, 0, sizeof zeros);
    for (i = 0; i < 1000; i++) nest[i] = '[';
    for (i = 1000; i < 2000; i++) nest[i] = ']';
    nest[0] = '{'; nest[1] = '"'; nest[2] = 'a'; nest[3] = '"'; nest[4] = ':'; nest[2000] = 0;
    table[4].json = nest;
    for (i = 0; i < (int)(sizeof table / sizeof *table); i++) {
        size_t len; unsigned char *f = file_with_header(table[i].json, zeros, table[i].dlen, &len);
        memset(&ck, 0, sizeof ck);
        st = rnn_load_memory(&m, &ck, f, len);
        CHECK(st == table[i].expect, "hostile file, %s: %s (\"%s\")", table[i].what, rnn_status_string(st), ck.error);
        if (st == RNN_OK) rnn_model_free(&m);
        free(f);
    }
    {   /* header length past the end, and absurd */
        unsigned char f[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '{', '}'};
        CHECK(rnn_load_memory(&m, &ck, f, 10) == RNN_ERR_FORMAT, "hostile file, header length 2^64-1: %s", ck.error);
        f[0] = 3; f[1] = 0; f[2] = 0; f[3] = 0; f[4] = 0; f[5] = 0; f[6] = 0; f[7] = 0;
        CHECK(rnn_load_memory(&m, &ck, f, 10) == RNN_ERR_FORMAT, "hostile file, header length 3 in a 10-byte file: %s", ck.error);
    }
    /* a valid checkpoint cut at every byte offset */
    make_model(&target, RNN_PEEPHOLE, 2, 0, 9);
    rnn_save_memory(&target, NULL, &good, &glen);
    for (cut = 0; cut < glen; cut++) {
        unsigned char *f = (unsigned char *)malloc(cut ? cut : 1); /* exactly cut bytes, so ASan sees any overread */
        memcpy(f, good, cut);
        st = rnn_load_memory(&m, &ck, f, cut);
        if (st == RNN_OK) { crashes_avoided = 0; rnn_model_free(&m); }
        free(f);
    }
    CHECK(crashes_avoided, "a valid checkpoint (%zu bytes) truncated at every byte offset is refused every time", glen);
    st = rnn_load_memory(&m, &ck, good, glen);
    CHECK(st == RNN_OK, "the same checkpoint whole loads");
    if (st == RNN_OK) rnn_model_free(&m);
    {   /* every byte flipped in turn: never a crash (ASan watches); most are refused */
        size_t k; int ok_count = 0;
        unsigned char *f = (unsigned char *)malloc(glen);
        for (k = 0; k < glen; k++) {
            memcpy(f, good, glen); f[k] ^= 0x5a;
            if (rnn_load_memory(&m, &ck, f, glen) == RNN_OK) { ok_count++; rnn_model_free(&m); }
        }
        free(f);
        CHECK(1, "every byte of a checkpoint flipped in turn: no crash (%d of %zu flips still load: they hit weight bytes)", ok_count, glen);
    }
    {   /* a file for another model: shapes disagree */
        rnn_model other; make_model(&other, RNN_PEEPHOLE, 2, 0, 9);
        rnn_model_free(&other);
        {
            rnn_model_desc d; memset(&d, 0, sizeof d);
            d.cell = RNN_PEEPHOLE; d.input_size = 5; d.hidden_size = 7; d.output_size = 5; d.num_layers = 2;
            rnn_model_init(&other, &d);
            st = rnn_load_weights_memory(&other, &ck, good, glen);
            CHECK(st == RNN_ERR_SIZE, "loading weights of hidden size 6 into a model of 7: %s (\"%s\")", rnn_status_string(st), ck.error);
            rnn_model_free(&other);
            d.num_layers = 1; d.hidden_size = 6;
            rnn_model_init(&other, &d);
            st = rnn_load_weights_memory(&other, &ck, good, glen);
            CHECK(st == RNN_ERR_SIZE, "loading a 2-layer file into a 1-layer model: %s (\"%s\")", rnn_status_string(st), ck.error);
            rnn_model_free(&other);
        }
    }
    {   /* NaN in the weights: refused on request */
        rnn_model nanm; unsigned char *buf; size_t len;
        make_model(&nanm, RNN_GRU, 1, 0, 4);
        nanm.params[3] = (rnn_real)NAN;
        rnn_save_memory(&nanm, NULL, &buf, &len);
        memset(&ck, 0, sizeof ck); ck.refuse_nonfinite = 1;
        st = rnn_load_memory(&m, &ck, buf, len);
        CHECK(st == RNN_ERR_NAN, "a NaN weight with refuse_nonfinite: %s (\"%s\")", rnn_status_string(st), ck.error);
        ck.refuse_nonfinite = 0;
        st = rnn_load_memory(&m, &ck, buf, len);
        CHECK(st == RNN_OK, "the same file without refuse_nonfinite loads (the NaN is the user's to see)");
        if (st == RNN_OK) rnn_model_free(&m);
        rnn_free_buffer(buf); rnn_model_free(&nanm);
    }
    rnn_free_buffer(good);
    rnn_model_free(&target);
}

/* -- crafted files: a valid checkpoint with one thing changed, as an
   attacker would change it. The base is a 2-layer LSTM (4 in, 3 hidden, 4
   out) saved with Adam's moments, the state of 2 rows, a vocabulary of 4
   and the training counters; each row edits its JSON header (or its data)
   and says what rnn_load must return. -- */
enum { NO_PATCH, M2_NEGATIVE, M1_NAN, F64_FILE };
typedef struct crafted {
    const char *what;
    const char *from, *to, *from2, *to2; /* edits of the header, first occurrence */
    int patch;
    rnn_status expect;
} crafted;

#define META_NUM_LAYERS "\"num_layers\":\"2\""
static const crafted crafted_files[] = {
    {"num_layers 2147483647 with bidirectional 1 (num_layers * 2 overflowed)", META_NUM_LAYERS, "\"num_layers\":\"2147483647\"",
     "\"bidirectional\":\"0\"", "\"bidirectional\":\"1\"", NO_PATCH, RNN_ERR_ARG},
    {"num_layers 2147483647", META_NUM_LAYERS, "\"num_layers\":\"2147483647\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"num_layers 4294967298 (atoi read 2)", META_NUM_LAYERS, "\"num_layers\":\"4294967298\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"num_layers 99999999999999999999 (20 digits)", META_NUM_LAYERS, "\"num_layers\":\"99999999999999999999\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"num_layers \"2junk\" (atoi read 2)", META_NUM_LAYERS, "\"num_layers\":\"2junk\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"num_layers \" 2\"", META_NUM_LAYERS, "\"num_layers\":\" 2\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"num_layers \"+2\"", META_NUM_LAYERS, "\"num_layers\":\"+2\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"num_layers \"\"", META_NUM_LAYERS, "\"num_layers\":\"\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"num_layers \"-\"", META_NUM_LAYERS, "\"num_layers\":\"-\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"hidden_size \"3.0\"", "\"hidden_size\":\"3\"", "\"hidden_size\":\"3.0\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"hidden_size 65537 (over rnn_model_init's limit)", "\"hidden_size\":\"3\"", "\"hidden_size\":\"65537\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"a description with far more weights than the file (hidden 4000: 64M weights from 4 KB)", "\"hidden_size\":\"3\"",
     "\"hidden_size\":\"4000\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"gru_flags 8 (no such flag)", "\"gru_flags\":\"0\"", "\"gru_flags\":\"8\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"bidirectional 2", "\"bidirectional\":\"0\"", "\"bidirectional\":\"2\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"leak \"nan\"", "\"leak\":\"0\"", "\"leak\":\"nan\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"leak with 15 hex digits", "\"leak\":\"0\"", "\"leak\":\"0x000000000000000\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"num_layers twice, 2 then 1 (Python's json keeps the last)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"num_layers\":\"1\"",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a __metadata__ key \"num_layers\\u0000x\" (reads as num_layers)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"num_layers\\u0000x\":\"1\"",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a value \"2\\u0000x\" (reads as 2)", META_NUM_LAYERS, "\"num_layers\":\"2\\u0000x\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a tensor named \"head.bias\\u0000x\" (aliased head.bias)", "\"head.bias\":", "\"head.bias\\u0000x\":", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a tensor name with a newline", "\"head.bias\":", "\"head.bias\\n\":", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"\\uZ000 in a key (a signed overflow made it pass)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"x\\uZ000\":\"1\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"\\uZZZZ in a key", META_NUM_LAYERS, "\"num_layers\":\"2\",\"x\\uZZZZ\":\"1\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a lone surrogate \\ud800", META_NUM_LAYERS, "\"num_layers\":\"2\",\"x\\ud800\":\"1\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"__metadata__ twice", "\"vocab\":{", "\"__metadata__\":{\"format\":\"other\"},\"vocab\":{", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"dtype twice in a tensor entry", "\"head.bias\":{\"dtype\":\"F32\",", "\"head.bias\":{\"dtype\":\"F32\",\"dtype\":\"F32\",",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a shape with a leading zero [04]", "\"head.bias\":{\"dtype\":\"F32\",\"shape\":[4]", "\"head.bias\":{\"dtype\":\"F32\",\"shape\":[04]",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"format version 2", "\"version\":\"1\"", "\"version\":\"2\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"optim.step -1", "\"optim.step\":\"2\"", "\"optim.step\":\"-1\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"optim.lr \"nan\"", "\"optim.lr\":\"0.001\"", "\"optim.lr\":\"nan\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"optim.lr the bits of a NaN", "\"optim.lr\":\"0.001\"", "\"optim.lr\":\"0x7ff8000000000000\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"optim.lr -1", "\"optim.lr\":\"0.001\"", "\"optim.lr\":\"0xbff0000000000000\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"optim.lr missing", "\"optim.lr\":\"0.001\",", "", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"optim.kind -3", "\"optim.kind\":\"4\"", "\"optim.kind\":\"-3\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"optim.kind 9", "\"optim.kind\":\"4\"", "\"optim.kind\":\"9\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"optim.beta1 2", "\"optim.beta1\":\"0.9\"", "\"optim.beta1\":\"2\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"optim.eps -1e-8", "\"optim.eps\":\"1e-08\"", "\"optim.eps\":\"-1e-8\"", NULL, NULL, NO_PATCH, RNN_ERR_ARG},
    {"a negative second moment (Adam's v)", NULL, NULL, NULL, NULL, M2_NEGATIVE, RNN_ERR_FORMAT},
    {"a NaN first moment", NULL, NULL, NULL, NULL, M1_NAN, RNN_ERR_NAN},
    {"train.step \"5x\"", "\"train.step\":\"5\"", "\"train.step\":\"5x\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"train.rng 2^64", "\"train.rng\":\"", "\"train.rng\":\"18446744073709551616", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"an F64 weight of 1e300 (finite as a double, Inf as a float)", NULL, NULL, NULL, NULL, F64_FILE, RNN_ERR_NAN},
    /* the user's settings ("user.<key>", rnn_checkpoint_set): within its limits, or the file is refused */
    {"a user value of 128 bytes", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.note\":\""
     "01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567\"",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user key twice", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"1\",\"user.a\":\"2\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user value that is a number", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":1", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user value that is an object", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":{\"b\":\"c\"}", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user value that is null", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":null", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a bad escape \\x41 in a user value", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"\\x41\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a cut \\u00 in a user value", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"\\u00\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a lone surrogate \\udc00 in a user value", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"\\udc00\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"\\u0000 in a user value (a C string would end there)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"x\\u0000y\"",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a raw newline in a user value (JSON wants \\n)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"x\ny\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user value that is not UTF-8 (byte 0xFF)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"x\377y\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user value with an overlong '/' (0xC0 0xAF)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"\300\257\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user value with a surrogate in UTF-8 (0xED 0xA0 0x80)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"\355\240\200\"",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user value cut inside a character (0xE2 0x82)", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a\":\"\342\202\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user key with a space", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.a b\":\"1\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"an empty user key \"user.\"", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.\":\"1\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"a user key of 32 characters", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.abcdefghijklmnopqrstuvwxyz012345\":\"1\"",
     NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    {"33 user keys", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.k0\":\"1\",\"user.k1\":\"1\",\"user.k2\":\"1\",\"user.k3\":\"1\",\"user.k4\":\"1\",\"user.k5\":\"1\",\"user.k6\":\"1\",\"user.k7\":\"1\",\"user.k8\":\"1\",\"user.k9\":\"1\",\"user.k10\":\"1\","
     "\"user.k11\":\"1\",\"user.k12\":\"1\",\"user.k13\":\"1\",\"user.k14\":\"1\",\"user.k15\":\"1\",\"user.k16\":\"1\",\"user.k17\":\"1\",\"user.k18\":\"1\",\"user.k19\":\"1\",\"user.k20\":\"1\",\"user.k21\":\"1\","
     "\"user.k22\":\"1\",\"user.k23\":\"1\",\"user.k24\":\"1\",\"user.k25\":\"1\",\"user.k26\":\"1\",\"user.k27\":\"1\",\"user.k28\":\"1\",\"user.k29\":\"1\",\"user.k30\":\"1\",\"user.k31\":\"1\",\"user.k32\":\"1\"", NULL, NULL, NO_PATCH, RNN_ERR_FORMAT},
    /* and what must still load */
    {"a user value of 127 bytes and a key of 31 characters", META_NUM_LAYERS, "\"num_layers\":\"2\",\"user.abcdefghijklmnopqrstuvwxyz01234\":\""
     "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\"",
     NULL, NULL, NO_PATCH, RNN_OK},
    {"\\u escapes, \\/ and raw UTF-8 in a user value", META_NUM_LAYERS,
     "\"num_layers\":\"2\",\"user.a\":\"caf\\u00e9 \\ud83d\\ude00 \\/ \303\251\\t\"", NULL, NULL, NO_PATCH, RNN_OK},
    {"an unknown key with a 70-byte value (foreign files have them)", META_NUM_LAYERS,
     "\"num_layers\":\"2\",\"note\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"", NULL, NULL, NO_PATCH, RNN_OK},
    {"\\u escapes of an e-acute and an emoji in an unknown value", META_NUM_LAYERS,
     "\"num_layers\":\"2\",\"note\":\"caf\\u00e9 \\ud83d\\ude00\"", NULL, NULL, NO_PATCH, RNN_OK},
    {"an older file's hex lr \"0x3f50624de0000000\"", "\"optim.lr\":\"0.001\"", "\"optim.lr\":\"0x3f50624de0000000\"", NULL, NULL, NO_PATCH, RNN_OK},
    {"the base file itself", NULL, NULL, NULL, NULL, NO_PATCH, RNN_OK},
};
#define N_CRAFTED (int)(sizeof crafted_files / sizeof crafted_files[0])

/* The base: returns a buffer to free with rnn_free_buffer. */
static unsigned char *base_file(size_t *len, int with_optim)
{
    rnn_model m; rnn_model_desc d; rnn_optim o; rnn_optim_desc od; rnn_checkpoint ck; rnn_batch b;
    int x[6] = {0, 1, 2, 3, 0, 1}, y[6] = {1, 2, 3, 0, 1, 2}, k;
    int32_t vocab[4] = {97, 98, 99, 100};
    unsigned char *buf = NULL;
    memset(&d, 0, sizeof d); memset(&od, 0, sizeof od); memset(&ck, 0, sizeof ck); memset(&b, 0, sizeof b);
    d.cell = RNN_LSTM; d.input_size = 4; d.hidden_size = 3; d.output_size = 4; d.num_layers = 2;
    rnn_model_init(&m, &d);
    rnn_optim_init(&o, &od, m.n_params);
    b.T = 3; b.B = 2; b.x_tokens = x; b.y_tokens = y;
    for (k = 0; k < 2; k++) { /* two steps: moments that are not zero */
        rnn_zero_grad(&m); rnn_forward(&m, &b, NULL); rnn_backward(&m);
        rnn_optim_step(&o, m.params, m.grads); rnn_carry_state(&m);
    }
    ck.optim = with_optim ? &o : NULL; ck.with_state = 1; ck.vocab = vocab; ck.vocab_len = 4; ck.step = 5;
    rnn_save_memory(&m, &ck, &buf, len);
    rnn_optim_free(&o); rnn_model_free(&m);
    return buf;
}

/* where tensor `name` begins in the data, from the header */
static long tensor_begin(const char *json, const char *name)
{
    char key[80];
    const char *p;
    snprintf(key, sizeof key, "\"%s\":{", name);
    p = strstr(json, key);
    p = p ? strstr(p, "\"data_offsets\":[") : NULL;
    return p ? strtol(p + 16, NULL, 10) : -1;
}

static int replace_first(char *s, size_t cap, const char *from, const char *to)
{
    char *p = strstr(s, from);
    size_t fl = strlen(from), tl = strlen(to);
    if (!p || strlen(s) - fl + tl + 1 > cap) return 0;
    memmove(p + tl, p + fl, strlen(p + fl) + 1);
    memcpy(p, to, tl);
    return 1;
}

/* The file of row r (malloc'd), or NULL when an edit did not apply. */
static unsigned char *crafted_file(const crafted *r, size_t *len)
{
    size_t blen, N = 0, cap;
    unsigned char *base, *out = NULL;
    char *json;
    int k, ok = 1;
    if (r->patch == F64_FILE) { /* a tanh model of size 1, its weights as F64, one of them 1e300 */
        static const double w[4] = {0.5, 0.25, 0, 1e300};
        unsigned char data[32];
        const char *hdr = "{\"__metadata__\":{\"format\":\"rnn.h\",\"version\":\"1\",\"cell\":\"tanh\",\"output\":\"softmax\","
                          "\"input_size\":\"1\",\"hidden_size\":\"1\",\"output_size\":\"0\"},"
                          "\"weight_ih_l0\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]},"
                          "\"weight_hh_l0\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[8,16]},"
                          "\"bias_ih_l0\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                          "\"bias_hh_l0\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[24,32]}}";
        for (k = 0; k < 32; k++) { uint64_t u; memcpy(&u, &w[k / 8], 8); data[k] = (unsigned char)(u >> (8 * (k % 8))); }
        return file_with_header(hdr, data, 32, len);
    }
    base = base_file(&blen, 1);
    for (k = 7; k >= 0; k--) N = (N << 8) | base[k];
    cap = N + 1024;
    json = (char *)malloc(cap);
    memcpy(json, base + 8, N); json[N] = 0;
    if (r->from) ok = replace_first(json, cap, r->from, r->to);
    if (ok && r->from2) ok = replace_first(json, cap, r->from2, r->to2);
    if (ok) out = file_with_header(json, base + 8 + N, blen - 8 - N, len);
    if (out && (r->patch == M2_NEGATIVE || r->patch == M1_NAN)) {
        long at = tensor_begin(json, r->patch == M2_NEGATIVE ? "optim.m2" : "optim.m1");
        float v = r->patch == M2_NEGATIVE ? -1.0f : (float)NAN;
        uint32_t u;
        memcpy(&u, &v, 4);
        for (k = 0; k < 4; k++) out[8 + strlen(json) + (size_t)at + (size_t)k] = (unsigned char)(u >> (8 * k));
    }
    free(json); rnn_free_buffer(base);
    return out;
}

/* Numbers in __metadata__ a person can read: decimal, the shortest that
   reads back as the same rnn_real bit for bit; and an older file, which
   wrote the double's bits in hex, still reads back the same value. */
static void test_readable_numbers(void)
{
    static const double values[] = {0.001, 0.9, 0.999, 1e-8, 0.5, 3e-4, 0.1 + 0.2, 1.0 / 3, 0.123456789012345678, 2.5e-7, 0.0123};
    static const char *const expect_text[] = {"0.001", "0.9", "0.999", "1e-08", "0.5", "0.0003", NULL, NULL, NULL, "2.5e-07", "0.0123"};
    int i, all_exact = 1, all_hex = 1, all_text = 1, n = (int)(sizeof values / sizeof values[0]);
    char worst[200] = "";
    for (i = 0; i < n; i++) {
        rnn_model m, m2; rnn_optim o, o2; rnn_optim_desc od = {0}; rnn_checkpoint ck = {0}, ck2 = {0};
        unsigned char *buf = NULL, *old = NULL; size_t len = 0, olen = 0, N = 0, cap; int k; char *json, want[80], hex[80], *p;
        double dv; uint64_t u;
        make_model(&m, RNN_GRU, 1, 0, 7);
        od.kind = RNN_SGD; od.lr = (rnn_real)values[i];
        rnn_optim_init(&o, &od, m.n_params);
        ck.optim = &o;
        if (rnn_save_memory(&m, &ck, &buf, &len) != RNN_OK) { all_exact = 0; snprintf(worst, sizeof worst, "save failed"); continue; }
        for (k = 7; k >= 0; k--) N = (N << 8) | buf[k];
        cap = N + 64; json = (char *)malloc(cap); memcpy(json, buf + 8, N); json[N] = 0;
        p = strstr(json, "\"optim.lr\":\"");
        if (!p || strstr(json, "\":\"0x")) { all_text = 0; snprintf(worst, sizeof worst, "%g: no decimal lr in the header", values[i]); }
        else {
            p += 12; k = 0; while (p[k] && p[k] != '"' && k < 60) { want[k] = p[k]; k++; } want[k] = 0;
            if (expect_text[i] && strcmp(want, expect_text[i]) != 0) { all_text = 0; snprintf(worst, sizeof worst, "%g written \"%s\", expected \"%s\"", values[i], want, expect_text[i]); }
            if ((int)strlen(want) > (sizeof(rnn_real) == 4 ? 15 : 24)) { all_text = 0; snprintf(worst, sizeof worst, "%g written with too many digits: \"%s\"", values[i], want); }
        }
        ck2.optim = &o2;
        if (rnn_load_memory(&m2, &ck2, buf, len) != RNN_OK || memcmp(&o2.desc.lr, &o.desc.lr, sizeof(rnn_real)) != 0 ||
            memcmp(&o2.desc.eps, &o.desc.eps, sizeof(rnn_real)) != 0 || memcmp(&o2.desc.beta2, &o.desc.beta2, sizeof(rnn_real)) != 0) {
            all_exact = 0; snprintf(worst, sizeof worst, "%g: read back as %.17g", values[i], (double)o2.desc.lr);
        }
        rnn_model_free(&m2); rnn_optim_free(&o2);
        /* the same file as an older rnn.h wrote it: "0x" and the double's 16 hex digits */
        dv = (double)o.desc.lr; memcpy(&u, &dv, 8);
        snprintf(hex, sizeof hex, "\"optim.lr\":\"0x%08lx%08lx\"", (unsigned long)(u >> 32), (unsigned long)(u & 0xffffffffu));
        {
            char from[100]; snprintf(from, sizeof from, "\"optim.lr\":\"%s\"", want);
            if (replace_first(json, cap, from, hex)) old = file_with_header(json, buf + 8 + N, len - 8 - N, &olen);
        }
        memset(&ck2, 0, sizeof ck2); ck2.optim = &o2;
        if (!old || rnn_load_memory(&m2, &ck2, old, olen) != RNN_OK || memcmp(&o2.desc.lr, &o.desc.lr, sizeof(rnn_real)) != 0) {
            all_hex = 0; snprintf(worst, sizeof worst, "%g: the hex file (%s) did not read back the same lr", values[i], hex);
        }
        rnn_model_free(&m2); rnn_optim_free(&o2);
        free(old); free(json); rnn_free_buffer(buf); rnn_optim_free(&o); rnn_model_free(&m);
    }
    CHECK(all_text, "%d learning rates written in decimal a person reads (0.001 as \"0.001\", 1e-8 as \"1e-08\", never hex) %s", n, worst);
    CHECK(all_exact, "the same %d learning rates (and eps, beta2) read back bit for bit %s", n, worst);
    CHECK(all_hex, "an older file with the learning rate as hex bits still loads, bit for bit %s", worst);
}

static void test_crafted(void)
{
    int i;
    for (i = 0; i < N_CRAFTED; i++) {
        const crafted *r = &crafted_files[i];
        rnn_model m; rnn_optim o; rnn_checkpoint ck; rnn_status st = RNN_STATUS_COUNT; int32_t vocab[16];
        size_t len; unsigned char *f = crafted_file(r, &len);
        memset(&ck, 0, sizeof ck);
        ck.optim = &o; ck.with_state = 1; ck.vocab = vocab; ck.vocab_cap = 16; ck.refuse_nonfinite = 1;
        if (f) st = rnn_load_memory(&m, &ck, f, len);
        CHECK(f && st == r->expect, "crafted file, %s: %s (\"%s\")", r->what, f ? rnn_status_string(st) : "the edit did not apply", ck.error);
        if (st == RNN_OK) { rnn_model_free(&m); rnn_optim_free(&o); }
        free(f);
    }
    {   /* the optimizer's moments are checked whatever refuse_nonfinite says */
        rnn_model m; rnn_optim o; rnn_checkpoint ck; size_t len; rnn_status st;
        unsigned char *f = crafted_file(&crafted_files[38], &len);
        memset(&ck, 0, sizeof ck); ck.optim = &o;
        st = rnn_load_memory(&m, &ck, f, len);
        CHECK(st == RNN_ERR_NAN && !o.m1, "a NaN moment without refuse_nonfinite: %s, and no optimizer (\"%s\")", rnn_status_string(st), ck.error);
        if (st == RNN_OK) { rnn_model_free(&m); rnn_optim_free(&o); }
        free(f);
    }
    {   /* the F64 file loaded into a model built by hand */
        rnn_model m; rnn_model_desc d; rnn_checkpoint ck; size_t len; rnn_status st;
        unsigned char *f = crafted_file(&crafted_files[41], &len);
        memset(&d, 0, sizeof d); d.cell = RNN_TANH; d.input_size = 1; d.hidden_size = 1;
        rnn_model_init(&m, &d);
        memset(&ck, 0, sizeof ck); ck.refuse_nonfinite = 1;
        st = rnn_load_weights_memory(&m, &ck, f, len);
        CHECK(st == RNN_ERR_NAN && m.layers[0].W_ih[0] != (rnn_real)0.5,
              "rnn_load_weights with refuse_nonfinite: an F64 1e300 is refused, nothing loaded (%s: \"%s\")", rnn_status_string(st), ck.error);
        ck.refuse_nonfinite = 0;
        st = rnn_load_weights_memory(&m, &ck, f, len);
        CHECK(st == RNN_OK && m.layers[0].W_ih[0] == (rnn_real)0.5 && m.layers[0].b_hh[0] > 1e30,
              "without refuse_nonfinite it loads, as the Inf it is as rnn_real (%g)", (double)m.layers[0].b_hh[0]);
        rnn_model_free(&m); free(f);
    }
}

/* rnn_load_weights is all or nothing for everything it touches: weights,
   the state and batch size, a live optimizer, the vocabulary, the counters. */
static void test_load_all_or_nothing(void)
{
    rnn_model m; rnn_model_desc d; rnn_optim o; rnn_optim_desc od; rnn_checkpoint ck; rnn_batch b;
    int x[10] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1}, l, same;
    int32_t *vocab = (int32_t *)malloc(sizeof(int32_t) * 16), *small = (int32_t *)malloc(sizeof(int32_t) * 2);
    rnn_real *params, *h0, *m1; rnn_real *m1_ptr; long step0;
    size_t len; unsigned char *f = base_file(&len, 1);
    rnn_status st;
    memset(&d, 0, sizeof d); memset(&od, 0, sizeof od); memset(&b, 0, sizeof b);
    d.cell = RNN_LSTM; d.input_size = 4; d.hidden_size = 3; d.output_size = 4; d.num_layers = 2; d.seed = 9;
    rnn_model_init(&m, &d);
    od.kind = RNN_SGD; od.momentum = (rnn_real)0.5;
    rnn_optim_init(&o, &od, m.n_params);
    b.T = 2; b.B = 5; b.x_tokens = x; /* a state of 5 rows; the file's has 2 */
    rnn_forward(&m, &b, NULL); rnn_carry_state(&m);
    o.m1[0] = 7; o.step = 3;
    params = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)m.n_params); memcpy(params, m.params, sizeof(rnn_real) * (size_t)m.n_params);
    h0 = (rnn_real *)malloc(sizeof(rnn_real) * 15); memcpy(h0, m.layers[1].h, sizeof(rnn_real) * 15);
    m1 = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)m.n_params); memcpy(m1, o.m1, sizeof(rnn_real) * (size_t)m.n_params);
    m1_ptr = o.m1; step0 = o.step;
    small[0] = small[1] = -5;
    memset(&ck, 0, sizeof ck);
    ck.optim = &o; ck.with_state = 1; ck.vocab = small; ck.vocab_cap = 2; ck.step = 77; ck.rng_state = 78;
    st = rnn_load_weights_memory(&m, &ck, f, len); /* fails at the vocabulary, the last thing read */
    same = m.B == 5 && memcmp(h0, m.layers[1].h, sizeof(rnn_real) * 15) == 0 &&
           memcmp(params, m.params, sizeof(rnn_real) * (size_t)m.n_params) == 0;
    CHECK(st == RNN_ERR_SIZE && same, "a failed rnn_load_weights with with_state leaves the weights, the batch size (%d) and the state as they were (%s)",
          m.B, rnn_status_string(st));
    CHECK(o.m1 == m1_ptr && o.step == step0 && o.desc.kind == RNN_SGD && memcmp(m1, o.m1, sizeof(rnn_real) * (size_t)m.n_params) == 0,
          "... and the live optimizer in ck.optim: not zeroed, not leaked");
    CHECK(small[0] == -5 && small[1] == -5 && ck.step == 77 && ck.rng_state == 78 && ck.vocab_len == 0,
          "... and the vocabulary buffer and the counters");
    ck.vocab = vocab; ck.vocab_cap = 16;
    st = rnn_load_weights_memory(&m, &ck, f, len);
    CHECK(st == RNN_OK && m.B == 2 && o.desc.kind == RNN_ADAM && o.step == 2 && ck.vocab_len == 4 && vocab[3] == 100 && ck.step == 5,
          "the same file with room for its vocabulary loads all: state of 2 rows, Adam at step 2 in place of the SGD (freed), vocab, counters (%s)",
          rnn_status_string(st));
    for (l = 0; l < m.L; l++) if (!m.layers[l].h) st = RNN_ERR_ARG;
    /* vocab_cap < 0 must not let the vocabulary overflow the buffer */
    ck.vocab = small; ck.vocab_cap = -1;
    st = rnn_load_weights_memory(&m, &ck, f, len);
    CHECK(st == RNN_ERR_ARG && small[0] == -5, "vocab_cap -1 with a 2-entry buffer: %s (\"%s\"), nothing written", rnn_status_string(st), ck.error);
    {   /* a model that was never built (zeroed): an error, not a NULL memcpy */
        rnn_model z; memset(&z, 0, sizeof z); memset(&ck, 0, sizeof ck);
        st = rnn_load_weights_memory(&z, &ck, f, len);
        CHECK(st == RNN_ERR_ARG, "rnn_load_weights into a zeroed model: %s (\"%s\")", rnn_status_string(st), ck.error);
    }
    {   /* saving a negative vocab_len */
        unsigned char *out; size_t olen; memset(&ck, 0, sizeof ck); ck.vocab = vocab; ck.vocab_len = -3;
        st = rnn_save_memory(&m, &ck, &out, &olen);
        CHECK(st == RNN_ERR_ARG && !out, "saving vocab_len -3: %s (\"%s\")", rnn_status_string(st), ck.error);
    }
    {   /* rnn_load leaves the vocabulary and counters alone when it fails */
        rnn_model r; rnn_optim ro; size_t clen; unsigned char *cf = crafted_file(&crafted_files[38], &clen);
        small[0] = -5; memset(&ck, 0, sizeof ck);
        ck.optim = &ro; ck.with_state = 1; ck.vocab = vocab; ck.vocab_cap = 16; ck.step = 77; vocab[0] = -9;
        st = rnn_load_memory(&r, &ck, cf, clen);
        CHECK(st != RNN_OK && vocab[0] == -9 && ck.step == 77 && ck.vocab_len == 0 && !ro.m1 && !r.params,
              "a failed rnn_load touches neither the vocabulary nor the counters, and leaves nothing to free (%s)", rnn_status_string(st));
        free(cf);
    }
    free(params); free(h0); free(m1); free(vocab); free(small); rnn_free_buffer(f);
    rnn_optim_free(&o); rnn_model_free(&m);
}

/* writes the crafted files into dir, for the fuzzer's seed corpus */
static int write_crafted(const char *dir)
{
    int i;
    for (i = 0; i < N_CRAFTED; i++) {
        char path[512]; size_t len; unsigned char *f = crafted_file(&crafted_files[i], &len); FILE *fp;
        snprintf(path, sizeof path, "%s/crafted_%02d.safetensors", dir, i);
        fp = f ? fopen(path, "wb") : NULL;
        if (!fp || fwrite(f, 1, len, fp) != len || fclose(fp) != 0) { fprintf(stderr, "cannot write %s\n", path); return 1; }
        free(f);
    }
    return 0;
}

static void test_vocab(void)
{
    rnn_model a, b; rnn_checkpoint ck; unsigned char *buf; size_t len;
    int32_t v[4] = {104, 233, 0x1F600, 10}, back[4] = {0}, small[2];
    make_model(&a, RNN_TANH, 1, 0, 1);
    memset(&ck, 0, sizeof ck); ck.vocab = v; ck.vocab_len = 4;
    rnn_save_memory(&a, &ck, &buf, &len);
    memset(&ck, 0, sizeof ck); ck.vocab = back; ck.vocab_cap = 4;
    CHECK(rnn_load_memory(&b, &ck, buf, len) == RNN_OK && ck.vocab_len == 4 && memcmp(v, back, sizeof v) == 0,
          "a vocabulary of code points (h, e-acute, an emoji, newline) round-trips as an I32 tensor");
    rnn_model_free(&b);
    memset(&ck, 0, sizeof ck); ck.vocab = small; ck.vocab_cap = 2;
    CHECK(rnn_load_memory(&b, &ck, buf, len) == RNN_ERR_SIZE, "a vocabulary larger than vocab_cap is refused, not overflowed");
    rnn_free_buffer(buf); rnn_model_free(&a);
}


/* Loading weights is all or nothing, an empty __metadata__ is valid JSON,
   and descriptions with an unknown output or a NaN leak are refused. */
static void test_load_weights_whole(void)
{
    rnn_model m, other; rnn_checkpoint ck; unsigned char *buf = NULL, *bad; size_t len = 0, blen, i;
    rnn_real *before; int same = 1; rnn_status st; rnn_model_desc d;
    char *json, *p;
    make_model(&m, RNN_LSTM, 1, 0, 3);
    make_model(&other, RNN_LSTM, 1, 0, 4);
    memset(&ck, 0, sizeof ck);
    rnn_save_memory(&other, &ck, &buf, &len);
    rnn_model_free(&other);
    /* the same file with head.bias's shape changed to [4]: all other tensors are fine */
    json = (char *)malloc(len + 1);
    {
        size_t N = 0; int k;
        for (k = 7; k >= 0; k--) N = (N << 8) | buf[k];
        memcpy(json, buf + 8, N); json[N] = 0;
        p = strstr(json, "\"head.bias\":{\"dtype\":\"F32\",\"shape\":[5]");
        if (p) p[strlen("\"head.bias\":{\"dtype\":\"F32\",\"shape\":[")] = '4';
        bad = file_with_header(json, buf + 8 + N, len - 8 - N, &blen);
    }
    before = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)m.n_params);
    memcpy(before, m.params, sizeof(rnn_real) * (size_t)m.n_params);
    memset(&ck, 0, sizeof ck);
    st = rnn_load_weights_memory(&m, &ck, bad, blen);
    for (i = 0; i < (size_t)m.n_params; i++) if (m.params[i] != before[i]) same = 0;
    CHECK(p && st != RNN_OK && same, "a failed rnn_load_weights leaves every weight as it was (%s: \"%s\")",
          rnn_status_string(st), ck.error);
    free(json); free(bad); free(before); free(buf);
    {   /* an empty __metadata__ object is valid: the error is the missing tensors */
        size_t flen; unsigned char *f = file_with_header("{\"__metadata__\":{},\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                                                        (const unsigned char *)"\0\0\0\0", 4, &flen);
        memset(&ck, 0, sizeof ck);
        st = rnn_load_weights_memory(&m, &ck, f, flen);
        CHECK(st == RNN_ERR_FORMAT && strstr(ck.error, "missing") != NULL,
              "an empty __metadata__ is read as JSON (the error is: \"%s\")", ck.error);
        free(f);
    }
    memset(&d, 0, sizeof d); d.input_size = 3; d.hidden_size = 2; d.output_size = 3;
    d.output = (rnn_output)-1;
    st = rnn_model_init(&other, &d) == RNN_OK ? RNN_OK : RNN_ERR_ARG;
    if (st == RNN_OK) rnn_model_free(&other);
    d.output = RNN_SOFTMAX; d.leak = (rnn_real)NAN;
    CHECK(st == RNN_ERR_ARG && rnn_model_init(&other, &d) == RNN_ERR_ARG, "an unknown output kind and a NaN leak are refused");
    rnn_model_free(&m);
}

/* The user's settings: rnn_checkpoint_set / rnn_checkpoint_get, their
   limits, the escaping both ways, and the round trip through memory and a
   file with rnn_load, rnn_load_weights and the _memory forms. */
static void test_user_settings(void)
{
    static const char *const keys[] = {"quote", "backslash", "utf8", "control", "empty", "Run.name_2-b"};
    static const char *const vals[] = {"say \"hi\"", "C:\\dir\\", "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80",
                                       "a\nb\tc\rd\x01\x1f\x7f\be\ff", "", "x"};
    static const char *const escaped[] = {"\"user.quote\":\"say \\\"hi\\\"\"", "\"user.backslash\":\"C:\\\\dir\\\\\"",
                                          "\"user.utf8\":\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"",
                                          "\"user.control\":\"a\\nb\\tc\\rd\\u0001\\u001f\\u007f\\u0008e\\u000cf\"", "\"user.empty\":\"\""};
    rnn_checkpoint ck, back;
    rnn_model m, r;
    char key[40], val[200];
    unsigned char *buf = NULL;
    size_t len = 0;
    int k, ok;
    rnn_status st;
    memset(&ck, 0, sizeof ck);
    CHECK(rnn_checkpoint_get(&ck, "lr") == NULL, "an empty checkpoint has no user key");
    /* limits: a key of 31 characters is taken, of 32 refused; a value of 127 bytes taken, of 128 refused */
    memset(key, 'k', 31); key[31] = 0;
    memset(val, 'v', 127); val[127] = 0;
    st = rnn_checkpoint_set(&ck, key, val);
    CHECK(st == RNN_OK && ck.n_user == 1 && strcmp(rnn_checkpoint_get(&ck, key), val) == 0,
          "a key of 31 characters with a value of 127 bytes is kept (%s)", rnn_status_string(st));
    key[31] = 'k'; key[32] = 0;
    st = rnn_checkpoint_set(&ck, key, "1");
    CHECK(st == RNN_ERR_ARG && ck.n_user == 1 && strstr(ck.error, "at most 31 characters"), "a key of 32 characters: %s (\"%s\")", rnn_status_string(st), ck.error);
    key[31] = 0; val[127] = 'v'; val[128] = 0;
    st = rnn_checkpoint_set(&ck, key, val);
    CHECK(st == RNN_ERR_ARG && strlen(rnn_checkpoint_get(&ck, key)) == 127 && strstr(ck.error, "127 bytes"),
          "a value of 128 bytes: %s, the old value kept (\"%s\")", rnn_status_string(st), ck.error);
    CHECK(rnn_checkpoint_set(&ck, "", "1") == RNN_ERR_ARG && rnn_checkpoint_set(&ck, "a b", "1") == RNN_ERR_ARG &&
          rnn_checkpoint_set(&ck, "a\"b", "1") == RNN_ERR_ARG && rnn_checkpoint_set(&ck, NULL, "1") == RNN_ERR_ARG &&
          rnn_checkpoint_set(NULL, "a", "1") == RNN_ERR_ARG && ck.n_user == 1,
          "an empty key, a space, a quote, a NULL key or checkpoint are refused (\"%s\")", ck.error);
    { /* the messages name the function and what is wrong with the key */
        static const char *const keys[3] = {"", "a_key_of_thirty-two_characters_", "a b"};
        static const char *const says[3] = {"rnn_checkpoint_set: the key is empty", "at most 31 characters", "has another character: a b"};
        int i, named = 1;
        char long_key[40];
        snprintf(long_key, sizeof long_key, "%s%s", keys[1], "x"); /* 32 characters */
        for (i = 0; i < 3; i++) {
            rnn_checkpoint_set(&ck, i == 1 ? long_key : keys[i], "1");
            if (!strstr(ck.error, says[i])) named = 0;
        }
        CHECK(named && ck.n_user == 1, "rnn_checkpoint_set's messages: empty key, key too long, a bad character (last: \"%s\")", ck.error);
    }
    CHECK(rnn_checkpoint_set(&ck, "a", "x\xffy") == RNN_ERR_ARG && rnn_checkpoint_set(&ck, "a", "\xc0\xaf") == RNN_ERR_ARG &&
          rnn_checkpoint_set(&ck, "a", "\xed\xa0\x80") == RNN_ERR_ARG && rnn_checkpoint_set(&ck, "a", "\xe2\x82") == RNN_ERR_ARG &&
          rnn_checkpoint_set(&ck, "a", "\xf4\x90\x80\x80") == RNN_ERR_ARG && ck.n_user == 1,
          "values that are not UTF-8 (0xFF, an overlong '/', a surrogate, a cut character, past U+10FFFF) are refused (\"%s\")", ck.error);
    CHECK(rnn_checkpoint_set(&ck, key, "new") == RNN_OK && ck.n_user == 1 && strcmp(rnn_checkpoint_get(&ck, key), "new") == 0,
          "setting a key again replaces its value");
    CHECK(rnn_checkpoint_set(&ck, key, NULL) == RNN_OK && ck.n_user == 0 && rnn_checkpoint_get(&ck, key) == NULL,
          "a NULL value removes the key");
    for (k = 0, ok = 1; k < RNN_CK_USER_MAX; k++) { snprintf(key, sizeof key, "k%d", k); ok &= rnn_checkpoint_set(&ck, key, "1") == RNN_OK; }
    st = rnn_checkpoint_set(&ck, "one.more", "1");
    CHECK(ok && st == RNN_ERR_ARG && ck.n_user == RNN_CK_USER_MAX && strstr(ck.error, "already RNN_CK_USER_MAX (32) keys"),
          "%d keys are taken, one more refused (\"%s\")", RNN_CK_USER_MAX, ck.error);
    CHECK(rnn_checkpoint_set(&ck, "k3", "2") == RNN_OK, "with %d keys, an existing one may still be set", RNN_CK_USER_MAX);
    CHECK(rnn_checkpoint_set(&ck, "k0", NULL) == RNN_OK && strcmp(ck.user_key[0], "k1") == 0 && strcmp(rnn_checkpoint_get(&ck, "k3"), "2") == 0,
          "removing the first key keeps the others, in order");

    /* the round trip: memory, with the escapes as JSON has them */
    memset(&ck, 0, sizeof ck);
    for (k = 0, ok = 1; k < 6; k++) ok &= rnn_checkpoint_set(&ck, keys[k], vals[k]) == RNN_OK;
    CHECK(ok, "six user keys set");
    make_model(&m, RNN_GRU, 1, 0, 3);
    st = rnn_save_memory(&m, &ck, &buf, &len);
    CHECK(st == RNN_OK, "saved with user keys: %s", rnn_status_string(st));
    if (st == RNN_OK) {
        uint64_t N = 0;
        char *hdr;
        for (k = 7; k >= 0; k--) N = (N << 8) | buf[k];
        hdr = (char *)malloc((size_t)N + 1); memcpy(hdr, buf + 8, (size_t)N); hdr[N] = 0;
        for (k = 0; k < 5; k++) CHECK(strstr(hdr, escaped[k]) != NULL, "the header holds %s", escaped[k]);
        for (k = 0, ok = 1; k < (int)N; k++) ok &= (unsigned char)hdr[k] >= 0x20 && hdr[k] != 0x7f;
        CHECK(ok, "the header holds no raw control character");
        free(hdr);
        memset(&back, 0, sizeof back);
        rnn_checkpoint_set(&back, "stale", "from before");
        st = rnn_load_memory(&r, &back, buf, len);
        for (k = 0, ok = st == RNN_OK && back.n_user == 6; k < 6 && ok; k++)
            ok = rnn_checkpoint_get(&back, keys[k]) && strcmp(rnn_checkpoint_get(&back, keys[k]), vals[k]) == 0;
        CHECK(ok && !rnn_checkpoint_get(&back, "stale"), "rnn_load_memory reads the six back byte for byte, and only them (%s, \"%s\")",
              rnn_status_string(st), back.error);
        if (st == RNN_OK) rnn_model_free(&r);
        memset(&back, 0, sizeof back);
        st = rnn_load_weights_memory(&m, &back, buf, len);
        CHECK(st == RNN_OK && back.n_user == 6 && strcmp(rnn_checkpoint_get(&back, "control"), vals[3]) == 0,
              "rnn_load_weights_memory reads them too (%s)", rnn_status_string(st));
        /* a failed load leaves them as they were */
        st = rnn_load_memory(&r, &back, buf, len - 4);
        CHECK(st != RNN_OK && back.n_user == 6, "a failed load (a cut file: %s) leaves the user keys as they were", rnn_status_string(st));
        rnn_free_buffer(buf);
    }
    /* through a file */
    st = rnn_save("build/test_user.safetensors", &m, &ck);
    memset(&back, 0, sizeof back);
    if (st == RNN_OK) st = rnn_load("build/test_user.safetensors", &r, &back);
    CHECK(st == RNN_OK && back.n_user == 6 && strcmp(rnn_checkpoint_get(&back, "utf8"), vals[2]) == 0 &&
          strcmp(rnn_checkpoint_get(&back, "quote"), vals[0]) == 0, "rnn_save and rnn_load keep them (%s)", rnn_status_string(st));
    if (st == RNN_OK) rnn_model_free(&r);
    memset(&back, 0, sizeof back);
    st = rnn_load_weights("build/test_user.safetensors", &m, &back);
    CHECK(st == RNN_OK && back.n_user == 6, "rnn_load_weights keeps them (%s)", rnn_status_string(st));
    remove("build/test_user.safetensors");
    /* bad fields written by hand are refused at save time */
    strcpy(ck.user_value[0], "\xff"); st = rnn_save_memory(&m, &ck, &buf, &len);
    CHECK(st == RNN_ERR_ARG && !buf, "saving a user value that is not UTF-8 (set by hand) is refused: \"%s\"", ck.error);
    strcpy(ck.user_value[0], "ok"); strcpy(ck.user_key[1], "quote"); st = rnn_save_memory(&m, &ck, &buf, &len);
    CHECK(st == RNN_ERR_ARG, "saving a user key twice (set by hand) is refused: \"%s\"", ck.error);
    ck.n_user = RNN_CK_USER_MAX + 1; st = rnn_save_memory(&m, &ck, &buf, &len);
    CHECK(st == RNN_ERR_ARG && rnn_checkpoint_get(&ck, "quote") == NULL, "an n_user past the limit is refused: \"%s\"", ck.error);
    /* an old file, without user keys, loads with none */
    ck.n_user = 0;
    st = rnn_save_memory(&m, NULL, &buf, &len);
    memset(&back, 0, sizeof back); rnn_checkpoint_set(&back, "stale", "1");
    if (st == RNN_OK) st = rnn_load_memory(&r, &back, buf, len);
    CHECK(st == RNN_OK && back.n_user == 0, "a file without user keys loads with none (%s)", rnn_status_string(st));
    if (st == RNN_OK) rnn_model_free(&r);
    rnn_free_buffer(buf);
    {   /* all 32 user keys beside everything rnn.h writes (optimizer, counters): within the 64 entries a file may have */
        rnn_optim o, o2; rnn_optim_desc od;
        memset(&od, 0, sizeof od); memset(&ck, 0, sizeof ck); memset(&back, 0, sizeof back);
        rnn_optim_init(&o, &od, m.n_params);
        for (k = 0, ok = 1; k < RNN_CK_USER_MAX; k++) { snprintf(key, sizeof key, "key%d", k); ok &= rnn_checkpoint_set(&ck, key, key) == RNN_OK; }
        ck.optim = &o; ck.step = 3; back.optim = &o2;
        st = rnn_save_memory(&m, &ck, &buf, &len);
        if (st == RNN_OK) st = rnn_load_memory(&r, &back, buf, len);
        CHECK(ok && st == RNN_OK && back.n_user == RNN_CK_USER_MAX && strcmp(rnn_checkpoint_get(&back, "key31"), "key31") == 0,
              "%d user keys and an optimizer in one file load back (%s: \"%s\")", RNN_CK_USER_MAX, rnn_status_string(st), back.error);
        if (st == RNN_OK) { rnn_model_free(&r); rnn_optim_free(&o2); }
        rnn_free_buffer(buf); rnn_optim_free(&o);
    }
    rnn_model_free(&m);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-crafted") == 0) return write_crafted(argv[2]);
    make_dir("build");
    test_round_trip();
    test_exact_resume();
    test_safe_save();
#ifndef _WIN32
    test_save_attacks();
#else
    printf("skip - symbolic links, modes, fork: the save attacks need POSIX\n");
#endif
    test_hostile();
    test_crafted();
    test_readable_numbers();
    test_load_all_or_nothing();
    test_vocab();
    test_load_weights_whole();
    test_user_settings();
    return test_done();
}
