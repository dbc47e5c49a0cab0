/* lab_data.h - the data sets of the labs: readers for the files the labs
   learn from and generators for the ones they make themselves. A reader
   checks what it reads and fails with one line on stderr that names the
   file, the line and the problem; each returns 0 on success, 1 after such
   a message. Include it after lab.h. */
#ifndef LAB_DATA_H
#define LAB_DATA_H
#include "lab.h"
#include <ctype.h>

/* The start of a line as printable text (at most 40 characters), for an
   error message. */
LAB_FN const char *lab_excerpt(const char *p)
{
    static char buf[44];
    int i;
    for (i = 0; i < 40 && p[i]; i++) buf[i] = isprint((unsigned char)p[i]) ? p[i] : '?';
    buf[i] = 0;
    return buf;
}

/* ---- a monthly series (forecast.c) ----------------------------------------------- */

#define LAB_MAX_MONTHS 100000

typedef struct lab_series {
    int n;                  /* months                                         */
    int year0, month0;      /* the first month (month 1..12)                  */
    double *v;              /* (n) the values                                 */
} lab_series;

/* Reads "YYYY-MM,value" rows into s; blank lines and lines starting with #
   are skipped, and so is one header line before the first row (a line that
   does not start with a digit). The months must follow each other without
   a gap and the values must be positive numbers. */
LAB_FN int lab_read_series(const char *path, lab_series *s)
{
    FILE *f = fopen(path, "rb");
    char line[512];
    int lineno = 0, rows = 0, header_seen = 0, cap = 256;
    memset(s, 0, sizeof *s);
    if (!f) { fprintf(stderr, "%s: cannot open %s\n", lab_program, path); return 1; }
    s->v = (double *)malloc(sizeof(double) * (size_t)cap);
    if (!s->v) { fclose(f); fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    while (fgets(line, sizeof line, f)) {
        char *p = line, *end;
        int year, month, used = 0;
        double v;
        size_t len = strlen(line);
        lineno++;
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            fprintf(stderr, "%s: %s:%d: line too long\n", lab_program, path, lineno); goto fail;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = 0;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') continue;
        if (!isdigit((unsigned char)*p)) {
            if (header_seen || rows) {
                fprintf(stderr, "%s: %s:%d: expected a row YYYY-MM,value, found '%s'\n", lab_program, path, lineno, lab_excerpt(p));
                goto fail;
            }
            header_seen = 1;
            continue;
        }
        if (sscanf(p, "%4d-%2d,%n", &year, &month, &used) != 2 || used == 0 || month < 1 || month > 12) {
            fprintf(stderr, "%s: %s:%d: expected a row YYYY-MM,value, found '%s'\n", lab_program, path, lineno, lab_excerpt(p));
            goto fail;
        }
        v = strtod(p + used, &end);
        while (*end == ' ' || *end == '\t') end++;
        if (end == p + used || *end || !(v > 0) || !(v < 1e300)) {
            fprintf(stderr, "%s: %s:%d: the value '%s' is not a positive number\n", lab_program, path, lineno, lab_excerpt(p + used));
            goto fail;
        }
        if (rows == 0) { s->year0 = year; s->month0 = month; }
        else if (year * 12 + month - 1 != s->year0 * 12 + s->month0 - 1 + rows) {
            fprintf(stderr, "%s: %s:%d: month %04d-%02d does not follow the previous row (no gaps allowed)\n",
                    lab_program, path, lineno, year, month);
            goto fail;
        }
        if (rows == LAB_MAX_MONTHS) { fprintf(stderr, "%s: %s: more than %d rows\n", lab_program, path, LAB_MAX_MONTHS); goto fail; }
        if (rows == cap) {
            double *nv = (double *)realloc(s->v, sizeof(double) * (size_t)cap * 2);
            if (!nv) { fprintf(stderr, "%s: out of memory\n", lab_program); goto fail; }
            s->v = nv; cap *= 2;
        }
        s->v[rows++] = v;
    }
    if (ferror(f)) { fprintf(stderr, "%s: %s: read error\n", lab_program, path); goto fail; }
    fclose(f);
    if (rows == 0) { fprintf(stderr, "%s: %s: no data rows (expected YYYY-MM,value)\n", lab_program, path); free(s->v); s->v = NULL; return 1; }
    s->n = rows;
    return 0;
fail:
    fclose(f);
    free(s->v);
    s->v = NULL;
    return 1;
}

/* The name of month i of the series, "1959-01" (out: 16 bytes or more). */
LAB_FN void lab_month_name(const lab_series *s, int i, char *out, size_t size)
{
    int k = s->year0 * 12 + s->month0 - 1 + i;
    snprintf(out, size, "%04d-%02d", k / 12, k % 12 + 1);
}

#endif /* LAB_DATA_H */
