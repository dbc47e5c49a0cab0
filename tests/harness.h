/* A tiny test harness: CHECK records one named check, and test_done()
   prints the closing line "N passed, N failed" and the exit status. */
#ifndef RNN_TEST_HARNESS_H
#define RNN_TEST_HARNESS_H
#include <stdio.h>
#include <stdarg.h>
#include <math.h>

static int test_passed, test_failed;

static void test_check(int ok, const char *fmt, ...)
{
    va_list ap;
    printf("%s - ", ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (ok) test_passed++; else test_failed++;
}
#define CHECK test_check

/* Prints the closing line and returns the exit status for main. */
static int test_done(void)
{
    printf("%d passed, %d failed\n", test_passed, test_failed);
    fflush(stdout);
    return test_failed ? 1 : 0;
}
#endif
