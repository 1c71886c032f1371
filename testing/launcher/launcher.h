/*
 * Starting another program of ours from a test, on any platform.
 *
 * This machine has no binfmt_misc, so under --config=armv7/aarch64 an ARM
 * binary cannot be exec'd directly: it must be started as
 * `qemu-arm -L SYSROOT -E LD_LIBRARY_PATH=... BINARY ARGS...`. The ARM
 * configs put that prefix in the environment variable MG_TEST_LAUNCHER
 * (words separated by spaces; no quoting); on x86_64 it is unset and a
 * program is exec'd as it is. Only for binaries built by this build: a
 * shell script or a system tool (/bin/sh, curl) is started without it.
 *
 *   #include "testing/launcher/launcher.h"
 *   const char *args[] = {"--port", "0", NULL};
 *   char **argv = mg_test_launcher_argv("testing/foo/helper", args);
 *   posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
 *   free(argv);
 *
 * Paths: a test runs in its runfiles tree, so a `data` dependency
 * //testing/foo:helper is at "testing/foo/helper". argv[0] is then a path
 * too, or a bare name to be looked up in PATH (posix_spawnp, execvp).
 * Header-only, C and C++.
 */
#ifndef MG_TESTING_LAUNCHER_H
#define MG_TESTING_LAUNCHER_H

#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The name of the variable that holds the launcher prefix. */
#define MG_TEST_LAUNCHER_ENV "MG_TEST_LAUNCHER"

/* The launcher prefix, or NULL when programs start directly. */
static inline const char *mg_test_launcher(void) {
  const char *s = getenv(MG_TEST_LAUNCHER_ENV);
  return s != NULL && s[strspn(s, " \t")] != '\0' ? s : NULL;
}

/* Whether c separates the launcher's words. */
static inline int mg_test_launcher_is_space(char c) {
  return c == ' ' || c == '\t';
}

/*
 * A NULL-terminated argv that runs `program` with `args` (a NULL-terminated
 * list, or NULL for none) through the launcher: the launcher's words, then
 * program, then args. The strings of args and program are not copied.
 * One block: free() the result. NULL if out of memory.
 */
static inline char **mg_test_launcher_argv(const char *program,
                                           const char *const *args) {
  const char *prefix = mg_test_launcher();
  size_t plen = prefix != NULL ? strlen(prefix) : 0, nwords = 0, nargs = 0;
  size_t i, k = 0, size;
  char **argv, *words;
  for (i = 0; i < plen; i++) {
    if (!mg_test_launcher_is_space(prefix[i]) &&
        (i == 0 || mg_test_launcher_is_space(prefix[i - 1]))) {
      nwords++;
    }
  }
  while (args != NULL && args[nargs] != NULL) nargs++;
  size = (nwords + 1 + nargs + 1) * sizeof(char *) + plen + 1;
  argv = (char **) malloc(size);
  if (argv == NULL) return NULL;
  words = (char *) (argv + nwords + 1 + nargs + 1);
  if (plen > 0) memcpy(words, prefix, plen);
  words[plen] = '\0';
  for (i = 0; i < plen; i++) {
    if (mg_test_launcher_is_space(words[i])) {
      words[i] = '\0';
    } else if (i == 0 || words[i - 1] == '\0') {
      argv[k++] = words + i;
    }
  }
  argv[k++] = (char *) program;
  for (i = 0; i < nargs; i++) argv[k++] = (char *) args[i];
  argv[k] = NULL;
  return argv;
}

#ifdef __cplusplus
}
#endif

#endif /* MG_TESTING_LAUNCHER_H */
