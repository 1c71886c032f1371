/*
 * A running CGI script: a child process whose standard input and output
 * are one end of a socket pair; the other end is a connection of the
 * manager. The request body goes in as the client sends it; the output's
 * header block becomes the response head (or an internal redirect), its
 * body is framed for the client while the client has room.
 */
#include "plugins/cgi/internal.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define IN_BUFFER (64 * 1024)    /* body bytes queued for the script */
#define OUT_BUFFER (64 * 1024)   /* script output read ahead */
#define CLIENT_ROOM (256 * 1024) /* client send buffer filled up to this */

/* A request being answered by a script. */
struct mg__cgi_req {
  struct mg_connection *nc; /* the client */
  struct mg_connection *sc; /* the script's socket, NULL once closed */
  pid_t pid;                /* the script's process, 0 once reaped */
  size_t max_head;          /* limit of its header block */
  int input_done;           /* the body was all queued for the script */
  int input_closed;         /* its input was shut (EOF sent) */
  int head_sent;            /* the response head went out */
  int is_head;              /* a HEAD request: no body goes out */
  int http10;               /* the client speaks HTTP/1.0 */
  int chunked;              /* the body goes out in chunks */
  int64_t left;             /* Content-Length bytes still to pass, or -1 */
  int done;                 /* the response is complete */
  int close;                /* the client connection must close after */
};

/* --- the process --- */

/* Waits for pid, again when a signal interrupts the wait. */
static pid_t wait_for(pid_t pid, int flags) {
  pid_t r;
  int i;
  for (i = 0; i < 100; i++) {
    r = waitpid(pid, NULL, flags);
    if (r >= 0 || errno != EINTR) return r;
  }
  return -1;
}

/* Ends the script process: killed unless it has exited, then reaped. */
static void reap(struct mg__cgi_req *r, int force) {
  if (r->pid <= 0) return;
  if (force || wait_for(r->pid, WNOHANG) == 0) {
    kill(r->pid, SIGKILL);
    wait_for(r->pid, 0);
  }
  r->pid = 0;
}

/* The argv of the script: interpreter (option or "#!" line) and script. */
static int script_argv(const char *script, const char *interp, char *line,
                       size_t line_len, char *argv[4]) {
  int n = 0;
  FILE *fp;
  if (interp != NULL && interp[0] != '\0') {
    argv[n++] = (char *) interp;
  } else if ((fp = mg_fopen(script, "rb")) != NULL) {
    if (fgets(line, (int) line_len, fp) != NULL && line[0] == '#' &&
        line[1] == '!') {
      char *p = line + 2, *arg;
      p[strcspn(p, "\r\n")] = '\0';
      while (*p == ' ' || *p == '\t') p++;
      arg = p + strcspn(p, " \t");
      if (*arg != '\0') {
        *arg++ = '\0';
        while (*arg == ' ' || *arg == '\t') arg++;
      }
      if (*p != '\0') argv[n++] = p;
      if (*p != '\0' && *arg != '\0') argv[n++] = arg;
    }
    fclose(fp);
  }
  argv[n++] = (char *) script;
  argv[n] = NULL;
  return n;
}

/* In the child: the socket as stdin and stdout, the script's directory as
 * the working directory, then exec. Never returns. */
static void child(int fd, const char *script, char *const argv[],
                  char *const envp[]) {
  char dir[4096];
  const char *slash = strrchr(script, '/');
  dup2(fd, 0);
  dup2(fd, 1);
  if (fd > 1) close(fd);
  if (slash != NULL && (size_t) (slash - script) < sizeof(dir)) {
    snprintf(dir, sizeof(dir), "%.*s", (int) (slash - script), script);
    if (dir[0] != '\0' && chdir(dir) != 0) _exit(126);
  }
  signal(SIGPIPE, SIG_DFL);
  execve(argv[0], argv, envp);
  _exit(127);
}

/* Forks the script with its input and output on fds[1]. Returns the pid,
 * or -1. */
static pid_t spawn(const char *script, const struct mg_serve_http_opts *o,
                   const struct mg__cgi_env *env, int fds[2]) {
  char line[512], *argv[4];
  pid_t pid;
  script_argv(script, o->cgi_interpreter, line, sizeof(line), argv);
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    child(fds[1], script, argv, env->envp);
  }
  close(fds[1]);
  return pid;
}

/* --- output to the client --- */

/* Sends body bytes to the client, framed, within Content-Length. */
static void send_body(struct mg__cgi_req *r, const char *data, size_t len) {
  if (r->left >= 0 && (int64_t) len > r->left) len = (size_t) r->left;
  if (r->left >= 0) r->left -= (int64_t) len;
  if (len == 0 || r->is_head) return;
  if (r->chunked) mg_printf(r->nc, "%lx\r\n", (unsigned long) len);
  mg_send(r->nc, data, (int) len);
  if (r->chunked) mg_send(r->nc, "\r\n", 2);
}

/* Answers code when nothing was sent yet, else closes the client. */
static void fail(struct mg__cgi_req *r, int code) {
  if (!r->head_sent) {
    mg_http_send_error(r->nc, code, NULL);
    r->head_sent = 1;
  } else {
    r->close = 1;
  }
  r->done = 1;
}

/* Sends the response head for the script's header block h. */
static void send_head(struct mg__cgi_req *r, const struct mg__cgi_head *h) {
  struct mg_connection *nc = r->nc;
  int i, code = h->status ? h->status : h->location.len > 0 ? 302 : 200;
  const char *reason = code == 200 ? "OK" : code == 302 ? "Found" : "";
  r->left = h->has_length ? h->length : -1;
  r->chunked = !h->has_length && !r->http10 && !r->is_head;
  r->close = !h->has_length && r->http10;
  if (h->reason.len > 0) {
    mg_printf(nc, "HTTP/1.1 %d %.*s\r\n", code, (int) h->reason.len,
              h->reason.p);
  } else {
    mg_printf(nc, "HTTP/1.1 %d %s\r\n", code, reason); /* any text will do */
  }
  for (i = 0; i < h->num_fields; i++) {
    if (mg_vcasecmp(&h->names[i], "Transfer-Encoding") == 0 ||
        mg_vcasecmp(&h->names[i], "Connection") == 0) {
      continue; /* framing is ours */
    }
    mg_printf(nc, "%.*s: %.*s\r\n", (int) h->names[i].len, h->names[i].p,
              (int) h->values[i].len, h->values[i].p);
  }
  if (r->chunked) mg_printf(nc, "%s", "Transfer-Encoding: chunked\r\n");
  if (r->close) mg_printf(nc, "%s", "Connection: close\r\n");
  mg_send(nc, "\r\n", 2);
  r->head_sent = 1;
}

/* Handles the script's header block. Returns 1 to go on with the body. */
static int take_head(struct mg__cgi_req *r) {
  struct mbuf *in = &r->sc->recv_mbuf;
  struct mg__cgi_head h;
  long n = mg__cgi_parse_head(in->buf, in->len, &h);
  char loc[4096];
  if (n < 0 || (n == 0 && in->len > r->max_head)) {
    fail(r, 500);
    return 0;
  }
  if (n == 0) return 0;
  if (h.location.len > 0 && h.location.p[0] == '/' && h.status == 0 &&
      h.location.len < sizeof(loc)) {
    snprintf(loc, sizeof(loc), "%.*s", (int) h.location.len, h.location.p);
    if (mg_http_ext_redirect(r->nc, loc) != 0) fail(r, 500);
    r->head_sent = r->done = 1; /* the new request answers */
    return 0;
  }
  send_head(r, &h);
  mbuf_remove(in, (size_t) n);
  return 1;
}

/* The script's output ended: finish the response. */
static void output_ended(struct mg__cgi_req *r) {
  if (!r->head_sent) {
    fail(r, 500); /* no header block */
    return;
  }
  if (r->done) return;
  if (r->left > 0) r->close = 1; /* fewer bytes than it promised */
  if (r->chunked) mg_send(r->nc, "0\r\n\r\n", 5);
  r->done = 1;
}

int mg__cgi_req_output(struct mg__cgi_req *r) {
  struct mbuf *in = r->sc != NULL ? &r->sc->recv_mbuf : NULL;
  if (!r->done && in != NULL && !r->head_sent) take_head(r);
  if (!r->done && in != NULL && r->head_sent) {
    size_t room = r->nc->send_mbuf.len < CLIENT_ROOM
                      ? CLIENT_ROOM - r->nc->send_mbuf.len
                      : 0;
    size_t n = in->len < room ? in->len : room;
    send_body(r, in->buf, n);
    mbuf_remove(in, n);
  }
  if (!r->done && r->sc == NULL) output_ended(r);
  if (!r->done) return 0;
  if (r->close) r->nc->flags |= MG_F_SEND_AND_CLOSE;
  return 1;
}

/* --- input to the script --- */

/* Shuts the script's input once everything queued has gone. */
static void maybe_close_input(struct mg__cgi_req *r) {
  if (r->sc == NULL || !r->input_done || r->input_closed ||
      r->sc->send_mbuf.len > 0) {
    return;
  }
  shutdown(r->sc->sock, SHUT_WR);
  r->input_closed = 1;
}

size_t mg__cgi_req_input(struct mg__cgi_req *r, const char *data, size_t len,
                         int last) {
  size_t room;
  if (r->sc == NULL || r->input_closed) return len; /* nobody reads it */
  room =
      r->sc->send_mbuf.len < IN_BUFFER ? IN_BUFFER - r->sc->send_mbuf.len : 0;
  if (len < room) room = len;
  mg_send(r->sc, data, (int) room);
  if (last && room == len) {
    r->input_done = 1;
    maybe_close_input(r);
  }
  return room;
}

/* --- the script's connection --- */

static void script_event(struct mg_connection *sc, int ev,
                         void *ev_data MG_UD_ARG(void *user_data)) {
  struct mg__cgi_req *r = (struct mg__cgi_req *) sc->user_data;
  (void) ev_data;
#if MG_ENABLE_CALLBACK_USERDATA
  (void) user_data;
#endif
  if (r == NULL) return; /* the request ended first */
  if (ev == MG_EV_SEND) {
    maybe_close_input(r);
    mg_http_ext_resume(r->nc);
  } else if (ev == MG_EV_RECV) {
    mg__cgi_req_output(r);
  } else if (ev == MG_EV_TIMER) {
    reap(r, 1); /* ran too long */
    if (!r->head_sent) fail(r, 504);
    r->close = 1;
    sc->flags |= MG_F_CLOSE_IMMEDIATELY;
  } else if (ev == MG_EV_CLOSE) {
    mg__cgi_req_output(r); /* what it printed last */
    r->sc = NULL;
    reap(r, 0);
    sc->user_data = NULL;
    if (mg__cgi_req_output(r)) mg_http_ext_wake(r->nc); /* may free r */
  }
}

/* Builds the environment and starts the script on a new socket pair. */
static int start_script(struct mg__cgi_req *r, struct http_message *hm,
                        const char *path, struct mg_str path_info,
                        const struct mg_serve_http_opts *o,
                        const struct mg_cgi_opts *co) {
  struct mg__cgi_env env;
  struct mg__cgi_env_in in;
  char uri[4096];
  int fds[2], n = mg_url_decode(hm->uri.p, (int) hm->uri.len, uri,
                                (int) sizeof(uri), 0);
  if (n < 0 || (size_t) n < path_info.len) return -1;
  memset(&in, 0, sizeof(in));
  in.nc = r->nc;
  in.hm = hm;
  in.opts = o;
  in.script = path;
  in.path_info = path_info;
  in.script_name = mg_mk_str_n(uri, (size_t) n - path_info.len);
  if (mg__cgi_env_build(&in, &env) != 0) return -1;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
    mg__cgi_env_free(&env);
    return -1;
  }
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  r->pid = spawn(path, o, &env, fds);
  mg__cgi_env_free(&env);
  r->sc = r->pid > 0 ? mg_add_sock(r->nc->mgr, fds[0], MG_CB(script_event, r))
                     : NULL;
  if (r->sc == NULL) {
    close(fds[0]);
    reap(r, 1);
    return -1;
  }
  r->sc->user_data = r;
  r->sc->recv_mbuf_limit = OUT_BUFFER;
  if (co->timeout > 0)
    mg_set_timer(r->sc, mg_mgr_time(r->nc->mgr) + co->timeout);
  return 0;
}

struct mg__cgi_req *mg__cgi_req_start(struct mg_connection *nc,
                                      struct http_message *hm, const char *path,
                                      struct mg_str path_info,
                                      const struct mg_serve_http_opts *opts,
                                      const struct mg_cgi_opts *co,
                                      const struct mg_str *body) {
  struct mg__cgi_req *r = (struct mg__cgi_req *) MG_CALLOC(1, sizeof(*r));
  if (r == NULL) {
    mg_http_send_error(nc, 500, NULL);
    return NULL;
  }
  r->nc = nc;
  r->max_head = co->max_header_size;
  r->is_head = mg_vcmp(&hm->method, "HEAD") == 0;
  r->http10 = mg_vcmp(&hm->proto, "HTTP/1.0") == 0;
  r->left = -1;
  if (start_script(r, hm, path, path_info, opts, co) != 0) {
    MG_FREE(r);
    mg_http_send_error(nc, 500, NULL);
    return NULL;
  }
  if (body != NULL) { /* buffered: all of it now, more than IN_BUFFER too */
    mg_send(r->sc, body->p, (int) body->len);
    r->input_done = 1;
    maybe_close_input(r);
  }
  return r;
}

void mg__cgi_req_free(struct mg__cgi_req *r) {
  if (r == NULL) return;
  if (r->sc != NULL) {
    r->sc->user_data = NULL;
    r->sc->flags |= MG_F_CLOSE_IMMEDIATELY;
  }
  reap(r, 1);
  MG_FREE(r);
}
