/* Protocol layers on a connection and event dispatch through them. */
#include "mg/internal.h"

/* Allocates a layer of p for nc. */
static struct mg_layer *new_layer(struct mg_connection *nc,
                                  const struct mg_plugin *p) {
  struct mg_layer *l = (struct mg_layer *) MG_CALLOC(1, sizeof(*l));
  if (l == NULL) return NULL;
  l->plugin = p;
  l->nc = nc;
  if (p->conn_state_size > 0) {
    l->state = MG_CALLOC(1, p->conn_state_size);
    if (l->state == NULL) {
      MG_FREE(l);
      return NULL;
    }
  }
  return l;
}

static void free_layer(struct mg_layer *l) {
  MG_FREE(l->state);
  MG_FREE(l);
}

/* Unlinks l from nc's stack and queues it for freeing. */
static void bury(struct mg_connection *nc, struct mg_layer *l) {
  struct mg_layer **pl;
  for (pl = &nc->layers; *pl != NULL; pl = &(*pl)->up) {
    if (*pl == l) {
      *pl = l->up; /* l->up stays: code still running in l can emit */
      break;
    }
  }
  l->dead = 1;
  l->next_dead = nc->mgr->dead_layers;
  nc->mgr->dead_layers = l;
}

/* Runs p's detach once. */
static void detach(struct mg_connection *nc, struct mg_layer *l) {
  if (l->dead) return;
  if (l->plugin->detach != NULL) l->plugin->detach(nc, l);
  bury(nc, l);
}

void mg__layers_reap(struct mg_mgr *mgr) {
  if (mgr->dispatch_depth > 0) return;
  while (mgr->dead_layers != NULL) {
    struct mg_layer *l = mgr->dead_layers;
    mgr->dead_layers = l->next_dead;
    free_layer(l);
  }
}

/* Attaches l (already linked) and undoes it on refusal. */
static struct mg_layer *attach(struct mg_connection *nc, struct mg_layer *l,
                               const struct mg_layer *parent) {
  if (nc->proto_handler == NULL) nc->proto_handler = mg__layers_proto_handler;
  if (l->plugin->attach != NULL && l->plugin->attach(nc, l, parent) != 0) {
    bury(nc, l);
    mg__layers_reap(nc->mgr);
    return NULL;
  }
  return l;
}

static struct mg_layer *push(struct mg_connection *nc,
                             const struct mg_plugin *p,
                             const struct mg_layer *parent) {
  struct mg_layer *l, **pl;
  const char *err = NULL;
  if (mg_register_plugin(nc->mgr, p, &err) != 0) {
    mg__log("cannot use plugin %s: %s", p->name ? p->name : "?", err);
    return NULL;
  }
  l = new_layer(nc, p);
  if (l == NULL) return NULL;
  for (pl = &nc->layers; *pl != NULL; pl = &(*pl)->up) {
  }
  *pl = l;
  return attach(nc, l, parent);
}

struct mg_layer *mg_layer_push(struct mg_connection *nc,
                               const struct mg_plugin *p) {
  return push(nc, p, NULL);
}

struct mg_layer *mg_layer_switch(struct mg_connection *nc, struct mg_layer *old,
                                 const struct mg_plugin *p) {
  struct mg_layer *l, **pl;
  const char *err = NULL;
  if (old == NULL || old->dead) return NULL;
  if (mg_register_plugin(nc->mgr, p, &err) != 0) {
    mg__log("cannot use plugin %s: %s", p->name ? p->name : "?", err);
    detach(nc, old);
    return NULL;
  }
  l = new_layer(nc, p);
  for (pl = &nc->layers; *pl != NULL && *pl != old; pl = &(*pl)->up) {
  }
  detach(nc, old); /* unlinks old; *pl now points past it */
  if (l == NULL) return NULL;
  l->up = *pl;
  *pl = l;
  return attach(nc, l, NULL);
}

void mg_layer_remove(struct mg_connection *nc, struct mg_layer *layer) {
  if (layer != NULL) detach(nc, layer);
}

struct mg_layer *mg_layer_find(const struct mg_connection *nc,
                               const struct mg_plugin *p) {
  struct mg_layer *l;
  for (l = nc->layers; l != NULL; l = l->up) {
    if (l->plugin == p && !l->dead) return l;
  }
  return NULL;
}

void mg_call_user(struct mg_connection *nc, int ev, void *ev_data) {
  if (nc->handler != NULL) {
    nc->handler(nc, ev, ev_data MG_UD_ARG(nc->user_data));
  }
}

void mg_layer_emit(struct mg_connection *nc, struct mg_layer *from, int ev,
                   void *ev_data) {
  struct mg_layer *next = from != NULL ? from->up : nc->layers;
  while (next != NULL && next->dead) next = next->up;
  if (next == NULL) {
    mg_call_user(nc, ev, ev_data);
  } else if (next->plugin->event != NULL) {
    next->plugin->event(nc, next, ev, ev_data);
  } else {
    mg_layer_emit(nc, next, ev, ev_data);
  }
}

void mg__layers_proto_handler(struct mg_connection *nc, int ev,
                              void *ev_data MG_UD_ARG(void *user_data)) {
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  mg_layer_emit(nc, NULL, ev, ev_data);
}

void mg_call(struct mg_connection *nc, int ev, void *ev_data) {
  struct mg_mgr *mgr = nc->mgr;
  if (ev != MG_EV_POLL) mgr->num_events++;
  mgr->dispatch_depth++;
  if (nc->proto_handler != NULL &&
      nc->proto_handler != mg__layers_proto_handler) {
    nc->proto_handler(nc, ev, ev_data MG_UD_ARG(nc->user_data));
  } else {
    mg_layer_emit(nc, NULL, ev, ev_data);
  }
  mgr->dispatch_depth--;
  mg__layers_reap(mgr);
}

void mg__layers_close(struct mg_connection *nc) {
  while (nc->layers != NULL) {
    struct mg_layer *top = nc->layers;
    while (top->up != NULL) top = top->up;
    detach(nc, top);
  }
  mg__layers_reap(nc->mgr);
}

void mg__layers_inherit(struct mg_connection *nc,
                        const struct mg_connection *lc) {
  const struct mg_layer *l;
  for (l = lc->layers; l != NULL; l = l->up) {
    if (!l->dead) push(nc, l->plugin, l);
  }
}
