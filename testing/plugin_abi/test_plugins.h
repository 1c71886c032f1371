/* Small protocols that exercise the plugin ABI in tests:
 *   line     - splits the byte stream into lines (TEST_EV_LINE)
 *   frame    - stands on line: "LEN:DATA" lines become TEST_EV_FRAME
 *   upgrader - on an "UPGRADE" line switches its layer to echo2
 *   echo2    - echoes what it receives, prefixed "echo2:"
 * Each counts attach/detach calls and owns heap memory in its state, so a
 * double free or a leak shows under ASan. */
#ifndef MG_TESTING_PLUGIN_ABI_TEST_PLUGINS_H
#define MG_TESTING_PLUGIN_ABI_TEST_PLUGINS_H

#include "mg/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Event ranges (inclusive), as a library plugin's MG_EV_<NAME>_FIRST and
 * MG_EV_<NAME>_LAST. */
#define TEST_EV_LINE_FIRST 800
#define TEST_EV_LINE_LAST 809
#define TEST_EV_FRAME_FIRST 810
#define TEST_EV_FRAME_LAST 819
#define TEST_EV_UPGRADER_FIRST 820
#define TEST_EV_UPGRADER_LAST 829
#define TEST_EV_ECHO2_FIRST 830
#define TEST_EV_ECHO2_LAST 839

#define TEST_EV_LINE 800        /* struct mg_str *: one line, no newline */
#define TEST_EV_FRAME 810       /* struct mg_str *: a frame's payload */
#define TEST_EV_FRAME_ERROR 811 /* NULL: a malformed frame; closing */
#define TEST_EV_UPGRADED 820    /* NULL: the upgrade happened */
#define TEST_EV_ECHOED 830      /* int *: bytes echoed */

extern const struct mg_plugin mg_plugin_line;
extern const struct mg_plugin mg_plugin_frame;
extern const struct mg_plugin mg_plugin_upgrader;
extern const struct mg_plugin mg_plugin_echo2;

/* Calls made into the plugins, for the tests to check. */
struct test_plugin_counters {
  int inits, frees;       /* per-manager, all plugins */
  int attaches, detaches; /* per-connection, all plugins */
  int inherited;          /* attaches with a parent layer */
  char log[512];          /* "init:line;init:frame;..." */
};
extern struct test_plugin_counters test_counters;

/* Resets test_counters. */
void test_counters_reset(void);
/* Appends "what:name;" to test_counters.log. */
void test_counters_log(const char *what, const char *name);

/* Puts line then frame on nc. Returns 0 on success. */
int test_set_protocol_frame(struct mg_connection *nc);

#ifdef __cplusplus
}
#endif

#endif
