/* Replays corpus files (argv) through LLVMFuzzerTestOneInput() once each:
 * the fuzz targets' test in builds without libFuzzer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path) {
  FILE *fp = fopen(path, "rb");
  long n;
  uint8_t *buf;
  if (fp == NULL) return -1;
  if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0) {
    fclose(fp);
    return -1;
  }
  rewind(fp);
  buf = (uint8_t *) malloc((size_t) n + 1);
  if (buf == NULL || fread(buf, 1, (size_t) n, fp) != (size_t) n) {
    free(buf);
    fclose(fp);
    return -1;
  }
  fclose(fp);
  LLVMFuzzerTestOneInput(buf, (size_t) n);
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  int i, failed = 0;
  for (i = 1; i < argc; i++) {
    if (replay_file(argv[i]) != 0) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      failed++;
    }
  }
  printf("replayed %d inputs, %d unreadable\n", argc - 1 - failed, failed);
  return failed ? 1 : 0;
}
