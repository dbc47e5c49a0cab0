# rnn.h - make, make demo, make test, make test-sanitize, make bench, make fuzz, make clean
CC      ?= cc
CFLAGS  ?= -O2 -std=c99 -Wall -Wextra -pedantic
LDLIBS  ?= -lm
# Debian's torch is installed for /usr/bin/python3; a python3 earlier on PATH may not see it.
PYTHON  ?= $(shell for p in /usr/bin/python3 python3; do $$p -c 'import torch' >/dev/null 2>&1 && { echo $$p; break; }; done)
SAN     = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

EXAMPLES = build/hello
TESTS    = build/test_cells
TEST_SCRIPTS = tests/test_compile.sh tests/test_examples.sh

all: $(EXAMPLES) $(TESTS)

build:
	mkdir -p build

build/%: examples/%.c rnn.h | build
	$(CC) $(CFLAGS) -I. $< -o $@ $(LDLIBS)

build/test_%: tests/test_%.c rnn.h tests/harness.h | build
	$(CC) $(CFLAGS) -I. $< -o $@ $(LDLIBS)

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

fixtures:
	$(PYTHON) tests/fixtures/make_fixtures.py

clean:
	rm -rf build

.PHONY: all demo test test-sanitize fixtures clean
