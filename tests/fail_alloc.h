/* Compiled in front of an example (cc -include tests/fail_alloc.h) by
   tests/test_status.sh: rnn.h's allocator fails at the allocation numbered
   FAIL_ALLOC (1, 2, ...) and nowhere else; FAIL_ALLOC=0 fails none and
   prints how many there were, at exit, on stderr. */
#include <stdio.h>
#include <stdlib.h>
static long fail_alloc_count, fail_alloc_at = -1;
static void fail_alloc_report(void) { fprintf(stderr, "allocations: %ld\n", fail_alloc_count); }
static void *fail_alloc(size_t n)
{
    if (fail_alloc_at < 0) {
        const char *v = getenv("FAIL_ALLOC");
        fail_alloc_at = v ? atol(v) : 0;
        if (fail_alloc_at == 0) atexit(fail_alloc_report);
    }
    return ++fail_alloc_count == fail_alloc_at ? NULL : malloc(n);
}
#define RNN_MALLOC(n) fail_alloc(n)
#define RNN_FREE(p) free(p)
#define RNN_ASSERT(x) do { if (!(x)) abort(); } while (0)
