/* The plugin registry: which protocol plugins a manager has, and their
 * per-manager state. */
#include "mg/internal.h"

/* One registered plugin. */
struct reg_entry {
  const struct mg_plugin *plugin; /* the descriptor */
  void *state;                    /* mgr_state_size bytes, or NULL */
};

/* The registry hanging off struct mg_mgr::plugins. */
struct mg__registry {
  struct reg_entry *entries; /* in registration order (deps first) */
  int count;                 /* used entries */
  int cap;                   /* allocated entries */
};

#define MAX_DEP_DEPTH 16 /* deeper means a dependency cycle */

static struct mg__registry *registry(struct mg_mgr *mgr) {
  if (mgr->plugins == NULL) {
    mgr->plugins = (struct mg__registry *) MG_CALLOC(1, sizeof(*mgr->plugins));
  }
  return mgr->plugins;
}

static struct reg_entry *find_entry(struct mg_mgr *mgr,
                                    const struct mg_plugin *p) {
  int i;
  if (mgr->plugins == NULL) return NULL;
  for (i = 0; i < mgr->plugins->count; i++) {
    if (mgr->plugins->entries[i].plugin == p) return &mgr->plugins->entries[i];
  }
  return NULL;
}

const struct mg_plugin *mg_find_plugin(struct mg_mgr *mgr, const char *name) {
  int i;
  if (mgr->plugins == NULL || name == NULL) return NULL;
  for (i = 0; i < mgr->plugins->count; i++) {
    const struct mg_plugin *p = mgr->plugins->entries[i].plugin;
    if (strcmp(p->name, name) == 0) return p;
  }
  return NULL;
}

static int has_events(const struct mg_plugin *p) {
  return p->ev_first != 0 || p->ev_last != 0;
}

const struct mg_plugin *mg_plugin_for_event(struct mg_mgr *mgr, int ev) {
  int i;
  if (mgr->plugins == NULL) return NULL;
  for (i = 0; i < mgr->plugins->count; i++) {
    const struct mg_plugin *p = mgr->plugins->entries[i].plugin;
    if (has_events(p) && ev >= p->ev_first && ev <= p->ev_last) return p;
  }
  return NULL;
}

/* Checks p against the ABI and the registered plugins. NULL if fine. */
static const char *check_plugin(struct mg_mgr *mgr, const struct mg_plugin *p) {
  int i;
  if (p->abi_version != MG_PLUGIN_ABI_VERSION) {
    return "plugin ABI version mismatch";
  }
  if (p->name == NULL || p->name[0] == '\0') return "plugin has no name";
  if (mg_find_plugin(mgr, p->name) != NULL) {
    return "another plugin with this name is registered";
  }
  if (!has_events(p)) return NULL;
  if (p->ev_first <= MG_EV_CORE_LAST || p->ev_last < p->ev_first ||
      p->ev_last >= MG_EV_USER_FIRST) {
    return "plugin event range overlaps the core's or the user's";
  }
  for (i = 0; mgr->plugins != NULL && i < mgr->plugins->count; i++) {
    const struct mg_plugin *o = mgr->plugins->entries[i].plugin;
    if (has_events(o) && p->ev_first <= o->ev_last &&
        o->ev_first <= p->ev_last) {
      return "plugin event range overlaps another plugin's";
    }
  }
  return NULL;
}

/* Appends p with its initialised state. NULL on success. */
static const char *add_entry(struct mg_mgr *mgr, const struct mg_plugin *p) {
  struct mg__registry *r = registry(mgr);
  void *state = NULL;
  if (r == NULL) return "out of memory";
  if (r->count == r->cap) {
    int cap = r->cap ? r->cap * 2 : 8;
    struct reg_entry *e =
        (struct reg_entry *) MG_REALLOC(r->entries, (size_t) cap * sizeof(*e));
    if (e == NULL) return "out of memory";
    r->entries = e;
    r->cap = cap;
  }
  if (p->mgr_state_size > 0) {
    state = MG_CALLOC(1, p->mgr_state_size);
    if (state == NULL) return "out of memory";
  }
  if (p->init != NULL && p->init(mgr, state) != 0) {
    MG_FREE(state);
    return "plugin init failed";
  }
  r->entries[r->count].plugin = p;
  r->entries[r->count].state = state;
  r->count++;
  return NULL;
}

static int register_at(struct mg_mgr *mgr, const struct mg_plugin *p,
                       const char **error, int depth) {
  const char *msg;
  int i;
  if (p == NULL) {
    msg = "NULL plugin";
  } else if (find_entry(mgr, p) != NULL) {
    return 0; /* already there: harmless */
  } else if (depth > MAX_DEP_DEPTH) {
    msg = "plugin dependency cycle";
  } else {
    for (i = 0; p->deps != NULL && p->deps[i] != NULL; i++) {
      if (register_at(mgr, p->deps[i], error, depth + 1) != 0) return -1;
    }
    msg = check_plugin(mgr, p);
    if (msg == NULL) msg = add_entry(mgr, p);
  }
  if (msg == NULL) return 0;
  if (error != NULL) *error = msg;
  return -1;
}

int mg_register_plugin(struct mg_mgr *mgr, const struct mg_plugin *p,
                       const char **error) {
  return register_at(mgr, p, error, 0);
}

void *mg_plugin_mgr_state(struct mg_mgr *mgr, const struct mg_plugin *p) {
  struct reg_entry *e = find_entry(mgr, p);
  if (e == NULL) {
    if (mg_register_plugin(mgr, p, NULL) != 0) return NULL;
    e = find_entry(mgr, p);
  }
  return e == NULL ? NULL : e->state;
}

void mg__registry_init(struct mg_mgr *mgr) {
  int i;
  for (i = 0; mg_plugin_table[i] != NULL; i++) {
    const char *err = NULL;
    if (mg_register_plugin(mgr, mg_plugin_table[i], &err) != 0) {
      mg__log("plugin %s not registered: %s",
              mg_plugin_table[i]->name ? mg_plugin_table[i]->name : "?", err);
    }
  }
}

void mg__registry_free(struct mg_mgr *mgr) {
  struct mg__registry *r = mgr->plugins;
  int i;
  if (r == NULL) return;
  for (i = r->count - 1; i >= 0; i--) {
    const struct mg_plugin *p = r->entries[i].plugin;
    if (p->free != NULL) p->free(mgr, r->entries[i].state);
    MG_FREE(r->entries[i].state);
  }
  MG_FREE(r->entries);
  MG_FREE(r);
  mgr->plugins = NULL;
}
