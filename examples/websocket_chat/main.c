/*
 * A WebSocket chat: serves a small page at http://127.0.0.1:PORT/ whose
 * tabs talk to each other. Every message a tab sends goes to every tab
 * (its own included), prefixed with the sender's address; joins and leaves
 * are announced.
 *
 *   websocket_chat [PORT]     (default 8000)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mongoose.h"

static const char s_page[] =
    "<!doctype html>\n"
    "<html><head><meta charset=\"utf-8\"><title>WebSocket chat</title>\n"
    "<style>body{font:15px sans-serif;margin:2em}#log{border:1px solid #ccc;"
    "height:20em;overflow:auto;padding:.5em;white-space:pre-wrap}</style>\n"
    "</head><body><h1>WebSocket chat</h1><div id=\"log\"></div>\n"
    "<form id=\"f\"><input id=\"msg\" size=\"60\" autofocus> <button>Send</button></form>\n"
    "<script>\n"
    "const log = document.getElementById('log');\n"
    "const seen = [];\n"
    "const ws = new WebSocket('ws://' + location.host + '/chat');\n"
    "const opened = new Promise((r) => { ws.onopen = r; });\n"
    "ws.onmessage = (e) => {\n"
    "  seen.push(e.data);\n"
    "  log.textContent += e.data + '\\n';\n"
    "  log.scrollTop = log.scrollHeight;\n"
    "};\n"
    "document.getElementById('f').onsubmit = (e) => {\n"
    "  e.preventDefault();\n"
    "  const m = document.getElementById('msg');\n"
    "  if (m.value) ws.send(m.value);\n"
    "  m.value = '';\n"
    "};\n"
    "// For the test: once every tab is connected, tab k says hello and\n"
    "// waits to hear all n tabs.\n"
    "window.ready = () => ws.readyState === 1;\n"
    "window.runTest = async (k, n) => {\n"
    "  await opened;\n"
    "  ws.send('hello from tab ' + k);\n"
    "  await new Promise((r) => { const t = setInterval(() => {\n"
    "    let all = true;\n"
    "    for (let i = 0; i < n; i++) if (!seen.some((s) => s.endsWith(': hello from tab ' + i))) all = false;\n"
    "    if (all) { clearInterval(t); r(); }\n"
    "  }, 20); });\n"
    "  return { tab: k, heard: seen.filter((s) => s.includes('hello from tab')).map((s) => s.split(': ')[1]).sort() };\n"
    "};\n"
    "</script></body></html>\n";

static volatile sig_atomic_t s_stop = 0;

static void on_signal(int sig) {
  (void) sig;
  s_stop = 1;
}

/* Sends text to every WebSocket connection of nc's manager. */
static void broadcast(struct mg_connection *nc, const char *text, size_t len) {
  struct mg_connection *c;
  for (c = mg_next(nc->mgr, NULL); c != NULL; c = mg_next(nc->mgr, c)) {
    if (c->flags & MG_F_IS_WEBSOCKET) {
      mg_send_websocket_frame(c, WEBSOCKET_OP_TEXT, text, len);
    }
  }
}

/* Sends "ADDR: what" to everyone. */
static void say(struct mg_connection *nc, const char *what, size_t len) {
  char addr[64], buf[600];
  int n;
  mg_sock_addr_to_str(&nc->sa, addr, sizeof(addr),
                      MG_SOCK_STRINGIFY_IP | MG_SOCK_STRINGIFY_PORT);
  if (len > 500) len = 500; /* a chat line, not a file */
  n = snprintf(buf, sizeof(buf), "%s: %.*s", addr, (int) len, what);
  broadcast(nc, buf, (size_t) n);
}

static void ev_handler(struct mg_connection *nc, int ev, void *ev_data) {
  switch (ev) {
    case MG_EV_HTTP_REQUEST:
      mg_send_head(nc, 200, (int64_t) (sizeof(s_page) - 1),
                   "Content-Type: text/html; charset=utf-8");
      mg_send(nc, s_page, (int) (sizeof(s_page) - 1));
      break;
    case MG_EV_WEBSOCKET_HANDSHAKE_DONE:
      say(nc, "joined", 6);
      break;
    case MG_EV_WEBSOCKET_FRAME: {
      struct websocket_message *wm = (struct websocket_message *) ev_data;
      say(nc, (const char *) wm->data, wm->size);
      break;
    }
    case MG_EV_CLOSE:
      if (nc->flags & MG_F_IS_WEBSOCKET) {
        nc->flags &= ~(unsigned long) MG_F_IS_WEBSOCKET; /* not to itself */
        say(nc, "left", 4);
      }
      break;
    default:
      break;
  }
}

int main(int argc, char **argv) {
  struct mg_mgr mgr;
  struct mg_connection *lc;
  char addr[64];
  snprintf(addr, sizeof(addr), "127.0.0.1:%s", argc > 1 ? argv[1] : "8000");
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  mg_mgr_init(&mgr, NULL);
  lc = mg_bind(&mgr, addr, ev_handler);
  if (lc == NULL) {
    fprintf(stderr, "cannot listen on %s\n", addr);
    return 1;
  }
  mg_set_protocol_http_websocket(lc);
  printf("chat on http://%s/\n", addr);
  fflush(stdout);
  while (!s_stop) mg_mgr_poll(&mgr, 200);
  mg_mgr_free(&mgr);
  return 0;
}
