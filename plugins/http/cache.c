/*
 * A small per-manager cache of small files' contents, so a busy server
 * answers a popular small file with one stat() instead of open, read and
 * close. An entry is used only while the file's device, inode, size and
 * modification time (to the nanosecond) are what they were when it was
 * read; the caller stat()s the path for every request anyway.
 */
#include "plugins/http/internal.h"

/* Non-zero if entry e still describes the file st. */
static int fresh(const struct mg__http_cached *e, const cs_stat_t *st) {
  return e->dev == st->st_dev && e->ino == st->st_ino &&
         e->size == (int64_t) st->st_size &&
         e->mtime_s == (int64_t) st->st_mtim.tv_sec &&
         e->mtime_ns == (long) st->st_mtim.tv_nsec;
}

const char *mg__http_cache_get(struct mg__http_mgr *m, const char *path,
                               const cs_stat_t *st) {
  int i;
  for (i = 0; i < MG_HTTP_FILE_CACHE_SLOTS; i++) {
    struct mg__http_cached *e = &m->cache[i];
    if (e->path != NULL && strcmp(e->path, path) == 0) {
      if (fresh(e, st)) {
        e->hits++;
        return e->data;
      }
      return NULL;
    }
  }
  return NULL;
}

static void entry_free(struct mg__http_cached *e) {
  MG_FREE(e->path);
  MG_FREE(e->data);
  memset(e, 0, sizeof(*e));
}

/* The slot for path: its old entry, an empty one, or the least hit. */
static struct mg__http_cached *slot_for(struct mg__http_mgr *m,
                                        const char *path) {
  struct mg__http_cached *victim = &m->cache[0];
  int i;
  for (i = 0; i < MG_HTTP_FILE_CACHE_SLOTS; i++) {
    struct mg__http_cached *e = &m->cache[i];
    if (e->path == NULL || strcmp(e->path, path) == 0) return e;
    if (e->hits < victim->hits) victim = e;
  }
  for (i = 0; i < MG_HTTP_FILE_CACHE_SLOTS; i++) m->cache[i].hits /= 2;
  return victim;
}

void mg__http_cache_put(struct mg__http_mgr *m, const char *path,
                        const cs_stat_t *st, const char *data) {
  struct mg__http_cached *e;
  if (MG_HTTP_FILE_CACHE_SLOTS == 0 || st->st_size > MG_HTTP_FILE_CACHE_MAX) {
    return;
  }
  e = slot_for(m, path);
  entry_free(e);
  e->path = (char *) mg_strdup(mg_mk_str(path)).p;
  e->data = (char *) MG_MALLOC((size_t) st->st_size + 1);
  if (e->path == NULL || e->data == NULL) {
    entry_free(e);
    return;
  }
  memcpy(e->data, data, (size_t) st->st_size);
  e->dev = st->st_dev;
  e->ino = st->st_ino;
  e->size = (int64_t) st->st_size;
  e->mtime_s = (int64_t) st->st_mtim.tv_sec;
  e->mtime_ns = (long) st->st_mtim.tv_nsec;
  e->hits = 1;
}

void mg__http_cache_free(struct mg__http_mgr *m) {
  int i;
  for (i = 0; i < MG_HTTP_FILE_CACHE_SLOTS; i++) entry_free(&m->cache[i]);
}
