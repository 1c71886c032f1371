/*
 * An SSI page being produced over many polls: a stack of open files (the
 * page and what it includes), read a piece at a time while the client
 * reads, directives replaced as they are found, the output framed as
 * chunks (HTTP/1.1) or ended by closing (HTTP/1.0).
 */
#include "plugins/ssi/internal.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#define READ_PIECE 16384 /* bytes read from a file per step */
#define BUF_SIZE (READ_PIECE + MG__SSI_MAX_DIRECTIVE)
#define PATH_MAX_LEN 4096

/* One open file of the include stack. */
struct ssi_file {
  int fd;             /* the open file */
  int is_ssi;         /* directives are processed (else copied) */
  int eof;            /* read to its end */
  char *path;         /* file system path (heap) */
  char *vdir;         /* its directory as a URI path, or NULL (abspath) */
  size_t len;         /* bytes in buf */
  char buf[BUF_SIZE]; /* read ahead, a directive may span reads */
};

/* A page being produced. */
struct mg__ssi_page {
  struct mg_serve_http_opts *opts; /* copy of the serve options */
  char *head;                      /* copy of the request head */
  size_t head_len;                 /* its length */
  int chunked;                     /* HTTP/1.1: chunked framing */
  int depth;                       /* files on the stack */
  struct ssi_file *stack[MG_SSI_MAX_DEPTH];
  int exec_fd;    /* output pipe of a running command, -1 */
  pid_t exec_pid; /* the command's process, or 0 */
};

/* --- output --- */

/* Appends len page bytes to the response, framed. */
static void page_out(struct mg_connection *nc, struct mg__ssi_page *p,
                     const char *data, size_t len) {
  if (len == 0) return;
  if (p->chunked) mg_printf(nc, "%lx\r\n", (unsigned long) len);
  mg_send(nc, data, (int) len);
  if (p->chunked) mg_send(nc, "\r\n", 2);
}

/* Frames the bytes a handler appended to send_mbuf from offset `from`. */
static void frame_since(struct mg_connection *nc, struct mg__ssi_page *p,
                        size_t from) {
  char line[32];
  size_t n = nc->send_mbuf.len - from;
  int k;
  if (!p->chunked || n == 0 || from > nc->send_mbuf.len) return;
  k = snprintf(line, sizeof(line), "%lx\r\n", (unsigned long) n);
  mbuf_insert(&nc->send_mbuf, from, line, (size_t) k);
  mg_send(nc, "\r\n", 2);
}

/* An error comment in the page; name is sanitised to stay in a comment. */
static void page_error(struct mg_connection *nc, struct mg__ssi_page *p,
                       const char *what, struct mg_str name) {
  char buf[300];
  size_t i, n = name.len < 200 ? name.len : 200;
  int k = snprintf(buf, sizeof(buf), "<!-- ssi: %s \"", what);
  for (i = 0; i < n && k > 0 && (size_t) k < sizeof(buf) - 8; i++) {
    char c = name.p[i];
    buf[k++] = (c == '-' || c == '>' || (unsigned char) c < 0x20) ? '_' : c;
  }
  k += snprintf(buf + k, sizeof(buf) - (size_t) k, "\" -->");
  page_out(nc, p, buf, (size_t) k);
}

/* --- the include stack --- */

/* The directory part of a URI path ("/a/b.shtml" -> "/a/"), heap. */
static char *uri_dir(struct mg_str uri) {
  size_t n = uri.len;
  while (n > 0 && uri.p[n - 1] != '/') n--;
  return (char *) mg_strdup(mg_mk_str_n(uri.p, n)).p;
}

static void close_file(struct ssi_file *f) {
  if (f->fd >= 0) close(f->fd);
  MG_FREE(f->path);
  MG_FREE(f->vdir);
  MG_FREE(f);
}

/* Non-zero if path matches the options' ssi_pattern. */
static int is_ssi_path(const struct mg_serve_http_opts *o, const char *path) {
  const char *pat =
      o->ssi_pattern != NULL ? o->ssi_pattern : "**.shtml$|**.shtm$";
  return mg_match_prefix(pat, (int) strlen(pat), path) > 0;
}

/* Opens path as the new top of the stack. Returns 0, or -1. */
static int push_file(struct mg__ssi_page *p, const char *path, char *vdir) {
  struct ssi_file *f;
  cs_stat_t st;
  int fd = mg_open(path, O_RDONLY, 0);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      (f = (struct ssi_file *) MG_CALLOC(1, sizeof(*f))) == NULL) {
    if (fd >= 0) close(fd);
    MG_FREE(vdir);
    return -1;
  }
  f->fd = fd;
  f->path = (char *) mg_strdup(mg_mk_str(path)).p;
  f->vdir = vdir;
  f->is_ssi = is_ssi_path(p->opts, path);
  p->stack[p->depth++] = f;
  return 0;
}

static void pop_file(struct mg__ssi_page *p) {
  close_file(p->stack[--p->depth]);
}

/* The file system path and URI directory of an include target. Returns
 * 0, or -1 if the target leaves the document root or is malformed. */
static int resolve(struct mg__ssi_page *p, int kind, struct mg_str target,
                   char *path, char **vdir) {
  char uri[PATH_MAX_LEN];
  const struct ssi_file *cur = p->stack[p->depth - 1];
  *vdir = NULL;
  if (kind == 'a') {
    if (target.len >= PATH_MAX_LEN) return -1;
    snprintf(path, PATH_MAX_LEN, "%.*s", (int) target.len, target.p);
    return 0;
  }
  if (kind == 'f' && (cur->vdir == NULL || target.p[0] == '/')) return -1;
  if (snprintf(uri, sizeof(uri), "%s%s%.*s", kind == 'f' ? cur->vdir : "",
               kind == 'v' && target.p[0] != '/' ? "/" : "", (int) target.len,
               target.p) >= (int) sizeof(uri) ||
      mg_http_ext_map_uri(p->opts, mg_mk_str(uri), path, PATH_MAX_LEN) != 0) {
    return -1;
  }
  *vdir = uri_dir(mg_mk_str(uri));
  return 0;
}

/* <!--#include ... --> */
static void do_include(struct mg_connection *nc, struct mg__ssi_page *p,
                       struct mg_str args) {
  char path[PATH_MAX_LEN], *vdir;
  struct mg_str target;
  int kind;
  if (mg__ssi_include_arg(args, &kind, &target) != 0) {
    page_error(nc, p, "bad include", args);
  } else if (p->depth >= MG_SSI_MAX_DEPTH) {
    page_error(nc, p, "includes nested too deep at", target);
  } else if (resolve(p, kind, target, path, &vdir) != 0 ||
             push_file(p, path, vdir) != 0) {
    page_error(nc, p, "cannot include", target);
  }
}

/* --- <!--#call --> --- */

/* Raises MG_EV_SSI_CALL and MG_EV_SSI_CALL_CTX; frames what the handler
 * printed into the page. */
static void do_call(struct mg_connection *nc, struct mg__ssi_page *p,
                    struct mg_str args) {
  struct mg_layer *http = mg_layer_find(nc, &mg_plugin_http);
  struct http_message hm;
  struct mg_ssi_call_ctx ctx;
  const struct ssi_file *cur = p->stack[p->depth - 1];
  char *arg = (char *) mg_strdup(args).p;
  size_t from = nc->send_mbuf.len;
  if (arg == NULL || http == NULL) {
    MG_FREE(arg);
    return;
  }
  memset(&hm, 0, sizeof(hm));
  mg_parse_http(p->head, (int) p->head_len, &hm, 1);
  ctx.req = &hm;
  ctx.file = mg_mk_str(cur->path);
  ctx.arg = mg_mk_str(arg);
  mg_http_ext_emit(nc, http, MG_EV_SSI_CALL, arg);
  mg_http_ext_emit(nc, http, MG_EV_SSI_CALL_CTX, &ctx);
  frame_since(nc, p, from);
  MG_FREE(arg);
}

/* --- <!--#exec --> (MG_ENABLE_HTTP_SSI_EXEC) --- */

#if MG_ENABLE_HTTP_SSI_EXEC
/* Starts cmd with its output on a non-blocking pipe. */
static void do_exec(struct mg_connection *nc, struct mg__ssi_page *p,
                    struct mg_str args) {
  struct mg_str cmd;
  char *c;
  int fds[2];
  pid_t pid;
  if (mg__ssi_exec_arg(args, &cmd) != 0 ||
      (c = (char *) mg_strdup(cmd).p) == NULL) {
    page_error(nc, p, "bad exec", args);
    return;
  }
  if (pipe(fds) != 0) {
    MG_FREE(c);
    page_error(nc, p, "cannot exec", cmd);
    return;
  }
  pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(fds[1], 1);
    close(fds[0]);
    execl("/bin/sh", "sh", "-c", c, (char *) NULL);
    _exit(127);
  }
  MG_FREE(c);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    page_error(nc, p, "cannot exec", cmd);
    return;
  }
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL, 0) | O_NONBLOCK);
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  p->exec_fd = fds[0];
  p->exec_pid = pid;
}
#endif

/* Ends the running command: its pipe closed, the process reaped. */
static void end_exec(struct mg__ssi_page *p, int kill_it) {
  if (p->exec_fd >= 0) close(p->exec_fd);
  p->exec_fd = -1;
  if (p->exec_pid > 0) { /* a command that closed its output is done */
    if (kill_it || waitpid(p->exec_pid, NULL, WNOHANG) == 0) {
      kill(p->exec_pid, SIGKILL);
      waitpid(p->exec_pid, NULL, 0);
    }
  }
  p->exec_pid = 0;
}

/* Copies what the command printed. Returns 1 while it runs. */
static int pump_exec(struct mg_connection *nc, struct mg__ssi_page *p) {
  char buf[READ_PIECE];
  ssize_t n = read(p->exec_fd, buf, sizeof(buf));
  if (n > 0) {
    page_out(nc, p, buf, (size_t) n);
    return 1;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    return 1;
  }
  end_exec(p, 0);
  return 0;
}

/* --- directives and text --- */

static void do_directive(struct mg_connection *nc, struct mg__ssi_page *p,
                         const struct mg__ssi_token *t) {
  if (mg_vcmp(&t->name, "include") == 0) {
    do_include(nc, p, t->args);
  } else if (mg_vcmp(&t->name, "call") == 0) {
    do_call(nc, p, t->args);
#if MG_ENABLE_HTTP_SSI_EXEC
  } else if (mg_vcmp(&t->name, "exec") == 0) {
    do_exec(nc, p, t->args);
#endif
  } /* anything else is dropped */
}

/* Reads the next piece of the top file into its buffer. */
static void fill(struct ssi_file *f) {
  ssize_t n;
  if (f->eof || f->len > BUF_SIZE - READ_PIECE) return;
  n = read(f->fd, f->buf + f->len, READ_PIECE);
  if (n > 0) {
    f->len += (size_t) n;
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    f->eof = 1;
  }
}

/* Outputs the top file's buffered bytes until a directive changes the
 * stack, a command starts, or more input is needed. */
static void process(struct mg_connection *nc, struct mg__ssi_page *p) {
  struct ssi_file *f = p->stack[p->depth - 1];
  size_t used = 0;
  int depth = p->depth;
  while (used < f->len && p->depth == depth && p->exec_fd < 0) {
    struct mg__ssi_token t;
    if (!f->is_ssi) {
      page_out(nc, p, f->buf + used, f->len - used);
      used = f->len;
      break;
    }
    mg__ssi_scan(f->buf + used, f->len - used, f->eof, &t);
    if (t.kind == MG__SSI_MORE) break;
    if (t.kind == MG__SSI_TEXT) page_out(nc, p, f->buf + used, t.len);
    if (t.kind == MG__SSI_DIRECTIVE) do_directive(nc, p, &t);
    used += t.len;
  }
  memmove(f->buf, f->buf + used, f->len - used);
  f->len -= used;
}

int mg__ssi_page_produce(struct mg_connection *nc, struct mg__ssi_page *p) {
  struct ssi_file *f;
  if (p->exec_fd >= 0 && pump_exec(nc, p)) return 0;
  if (p->depth == 0) {
    if (p->chunked) {
      mg_send(nc, "0\r\n\r\n", 5);
    } else {
      nc->flags |= MG_F_SEND_AND_CLOSE; /* HTTP/1.0: the close ends it */
    }
    return 1;
  }
  f = p->stack[p->depth - 1];
  fill(f);
  process(nc, p);
  if (f == p->stack[p->depth - 1] && f->eof && f->len == 0) pop_file(p);
  return 0;
}

/* --- the page --- */

/* Sends the response head: chunked for HTTP/1.1, else until the close. */
static void send_head(struct mg_connection *nc, struct mg__ssi_page *p,
                      const char *path) {
  struct mg_str mime = mg_http_ext_mime_type(path, p->opts);
  mg_printf(
      nc, "HTTP/1.1 200 OK\r\nContent-Type: %.*s\r\n%s", (int) mime.len, mime.p,
      p->chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n");
  if (p->opts->extra_headers != NULL) {
    mg_printf(nc, "%s\r\n", p->opts->extra_headers);
  }
  mg_send(nc, "\r\n", 2);
}

struct mg__ssi_page *mg__ssi_page_start(struct mg_connection *nc,
                                        struct http_message *hm,
                                        const char *path,
                                        const struct mg_serve_http_opts *o) {
  struct mg__ssi_page *p = (struct mg__ssi_page *) MG_CALLOC(1, sizeof(*p));
  size_t head_len = (size_t) (hm->body.p - hm->message.p);
  if (p == NULL || (p->opts = mg_http_ext_opts_dup(o)) == NULL ||
      (p->head = (char *) MG_MALLOC(head_len + 1)) == NULL) {
    mg__ssi_page_free(p);
    mg_http_send_error(nc, 500, NULL);
    return NULL;
  }
  memcpy(p->head, hm->message.p, head_len);
  p->head_len = head_len;
  p->exec_fd = -1;
  p->chunked = mg_vcmp(&hm->proto, "HTTP/1.0") != 0;
  if (push_file(p, path, uri_dir(hm->uri)) != 0) {
    mg__ssi_page_free(p);
    mg_http_send_error(nc, 403, NULL);
    return NULL;
  }
  send_head(nc, p, path);
  return p;
}

void mg__ssi_page_free(struct mg__ssi_page *p) {
  if (p == NULL) return;
  while (p->depth > 0) pop_file(p);
  end_exec(p, 1);
  mg_http_ext_opts_free(p->opts);
  MG_FREE(p->head);
  MG_FREE(p);
}
