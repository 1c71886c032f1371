/* Started by launcher_test through the launcher: echoes its arguments. */
#include <stdio.h>

int main(int argc, char **argv) {
  int i;
  printf("helper(%d)", argc - 1);
  for (i = 1; i < argc; i++) printf(" %s", argv[i]);
  printf("\n");
  return 3;
}
