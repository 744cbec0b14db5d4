/* Timing harness for the WIGXJPF C library (racah bench/, our own code).
 *
 * Built by bench/wigxjpf_timing.py against WIGXJPF sources that it downloads from the
 * pywigxjpf sdist at run time into bench/out/ (nothing of WIGXJPF is committed here).
 *
 * usage: wigxjpf_harness <kind 3|6|9> <records.bin> <max_two_j> <min_seconds>
 *   records.bin: little-endian int32, kind*2 (3j: 6, 6j: 6, 9j: 9) numbers per record:
 *   3j: 2j1 2j2 2j3 2m1 2m2 2m3;  6j: 2j1..2j6;  9j: 2j1..2j9.
 * Prints one JSON line: records, repeats, best/median ns per symbol, checksum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wigxjpf.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double sweep(int kind, const int *r, long n, double *checksum)
{
  double s = 0.0;
  long i;
  if (kind == 3) {
    for (i = 0; i < n; i++, r += 6)
      s += wig3jj(r[0], r[1], r[2], r[3], r[4], r[5]);
  } else if (kind == 6) {
    for (i = 0; i < n; i++, r += 6)
      s += wig6jj(r[0], r[1], r[2], r[3], r[4], r[5]);
  } else {
    for (i = 0; i < n; i++, r += 9)
      s += wig9jj(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
  }
  *checksum = s;
  return s;
}

int main(int argc, char **argv)
{
  if (argc != 5) {
    fprintf(stderr, "usage: %s <3|6|9> <records.bin> <max_two_j> <min_seconds>\n", argv[0]);
    return 2;
  }
  int kind = atoi(argv[1]);
  int width = kind == 9 ? 9 : 6;
  int max_two_j = atoi(argv[3]);
  double min_seconds = atof(argv[4]);
  if (kind != 3 && kind != 6 && kind != 9) {
    fprintf(stderr, "bad kind %d\n", kind);
    return 2;
  }

  FILE *f = fopen(argv[2], "rb");
  if (!f) {
    perror(argv[2]);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  long n = bytes / (long) (sizeof(int) * width);
  int *rec = malloc((size_t) bytes);
  if (!rec || fread(rec, 1, (size_t) bytes, f) != (size_t) bytes) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    return 1;
  }
  fclose(f);

  wig_table_init(max_two_j, 9);
  wig_temp_init(max_two_j);

  double checksum = 0.0;
  sweep(kind, rec, n, &checksum); /* warm-up */

  /* repeat whole sweeps until min_seconds have passed (at least 5 sweeps) */
  double times[10000];
  int reps = 0;
  double start = now();
  while (reps < 10000 && (reps < 5 || now() - start < min_seconds)) {
    double t0 = now();
    sweep(kind, rec, n, &checksum);
    times[reps++] = now() - t0;
  }
  qsort(times, (size_t) reps, sizeof(double), cmp_double);
  printf("{\"records\": %ld, \"repeats\": %d, \"best_ns\": %.3f, \"median_ns\": %.3f, "
         "\"checksum\": %.17g}\n",
         n, reps, 1e9 * times[0] / (double) n, 1e9 * times[reps / 2] / (double) n, checksum);

  wig_temp_free();
  wig_table_free();
  free(rec);
  return 0;
}
