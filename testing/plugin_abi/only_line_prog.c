/* A program built with the `line` plugin only (see BUILD). */
#include "mongoose.h"
#include "mg/plugin.h"

int main(void) {
  struct mg_mgr mgr;
  int ok;
  mg_mgr_init(&mgr, NULL);
  ok = mg_find_plugin(&mgr, "line") != NULL &&
       mg_find_plugin(&mgr, "frame") == NULL;
  mg_mgr_free(&mgr);
  return ok ? 0 : 1;
}
