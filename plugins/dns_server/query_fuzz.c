/*
 * A DNS server (the reference's captive-portal handler) fed one arbitrary
 * datagram over mem-udp://: the dns layer parses it, the handler answers
 * the A questions, and nothing crashes, leaks or loops.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "mongoose.h"

static void server(struct mg_connection *nc, int ev, void *ev_data) {
  struct mg_dns_message *msg = (struct mg_dns_message *) ev_data;
  struct mg_dns_reply reply;
  struct mbuf buf;
  int i;
  if (ev != MG_DNS_MESSAGE) return;
  mbuf_init(&buf, 512);
  reply = mg_dns_create_reply(&buf, msg);
  for (i = 0; i < msg->num_questions; i++) {
    struct mg_dns_resource_record *rr = &msg->questions[i];
    char name[256];
    mg_dns_uncompress_name(msg, &rr->name, name, sizeof(name) - 1);
    if (rr->rtype == MG_DNS_A_RECORD) {
      in_addr_t addr = inet_addr("127.0.0.1");
      mg_dns_reply_record(&reply, rr, NULL, rr->rtype, 10, &addr, 4);
    }
  }
  mg_dns_send_reply(nc, &reply);
  mbuf_free(&buf);
}

static void client(struct mg_connection *nc, int ev, void *ev_data) {
  (void) nc;
  (void) ev;
  (void) ev_data;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct mg_mgr mgr;
  struct mg_connection *s, *c;
  int i;
  if (size == 0 || size > MG_UDP_RECV_BUFFER_SIZE) return 0;
  mg_mgr_init(&mgr, NULL);
  s = mg_bind(&mgr, "mem-udp://dns", server);
  c = mg_connect(&mgr, "mem-udp://dns", client);
  if (s != NULL && c != NULL) {
    mg_set_protocol_dns(s);
    mg_send(c, data, (int) size);
    for (i = 0; i < 8; i++) mg_mgr_poll(&mgr, 0);
  }
  mg_mgr_free(&mgr);
  return 0;
}
