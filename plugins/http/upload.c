/*
 * mg_file_upload_handler(): stores the file parts of a streamed multipart
 * request in local files. The HTTP layer answers 200 once the request
 * ends; a refused name gets 403, a write error 500.
 */
#include "plugins/http/internal.h"

/* One file being written (the part's user_data). */
struct upload {
  FILE *fp;   /* the open file */
  char *path; /* its name, heap */
};

static void upload_free(struct upload *u, int remove_file) {
  if (u->fp != NULL) fclose(u->fp);
  if (remove_file) remove(u->path);
  MG_FREE(u->path);
  MG_FREE(u);
}

/* Opens the local file for a part; NULL on refusal (answered). */
static struct upload *upload_open(struct mg_connection *nc,
                                  struct mg_http_multipart_part *mp,
                                  mg_fu_fname_fn local_name_fn) {
  struct mg__http_conn *hc = mg__http_conn(nc);
  struct mg_str lfn = local_name_fn(nc, mg_mk_str(mp->file_name));
  struct upload *u;
  if (lfn.p == NULL) {
    if (hc != NULL) hc->upload_refused = 1;
    mg_http_send_error(nc, 403, "Not allowed to upload");
    return NULL;
  }
  u = (struct upload *) MG_CALLOC(1, sizeof(*u));
  if (u != NULL) u->path = (char *) mg_strdup(lfn).p;
  if (lfn.p != mp->file_name) MG_FREE((void *) lfn.p);
  if (u != NULL && u->path != NULL) u->fp = mg_fopen(u->path, "wb");
  if (u == NULL || u->fp == NULL) {
    if (u != NULL) {
      MG_FREE(u->path);
      MG_FREE(u);
    }
    if (hc != NULL) hc->upload_refused = 1;
    mg_http_send_error(nc, 500, "Cannot open the file");
    return NULL;
  }
  return u;
}

static void upload_write(struct mg_connection *nc,
                         struct mg_http_multipart_part *mp) {
  struct upload *u = (struct upload *) mp->user_data;
  struct mg__http_conn *hc = mg__http_conn(nc);
  if (u == NULL || mp->data.len == 0) return;
  if (mg_fwrite(mp->data.p, 1, mp->data.len, u->fp) != mp->data.len) {
    upload_free(u, 1);
    mp->user_data = NULL;
    if (hc != NULL) hc->upload_refused = 1;
    mg_http_send_error(nc, 500, "Failed to write to a file");
    return;
  }
  if (hc != NULL) hc->upload_bytes += (int64_t) mp->data.len;
}

void mg_file_upload_handler(struct mg_connection *nc, int ev, void *ev_data,
                            mg_fu_fname_fn local_name_fn
                                MG_UD_ARG(void *user_data)) {
  struct mg_http_multipart_part *mp = (struct mg_http_multipart_part *) ev_data;
  struct mg__http_conn *hc = mg__http_conn(nc);
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  if (hc != NULL) hc->upload_used = 1;
  switch (ev) {
    case MG_EV_HTTP_PART_BEGIN:
      mp->user_data = NULL;
      if (mp->file_name != NULL && mp->file_name[0] != '\0' &&
          (hc == NULL || !hc->upload_refused)) {
        mp->user_data = upload_open(nc, mp, local_name_fn);
      }
      break;
    case MG_EV_HTTP_PART_DATA:
      upload_write(nc, mp);
      break;
    case MG_EV_HTTP_PART_END:
      if (mp->user_data != NULL) {
        upload_free((struct upload *) mp->user_data, mp->status < 0);
        mp->user_data = NULL;
      }
      break;
    default:
      break;
  }
}
