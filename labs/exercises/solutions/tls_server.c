/* tls_server.c: the reference solution of tlslab lab 7.
 * Teachers' copy: never copied into a student's workspace, never needed by the checker.
 *
 *   usage:  ./tls_server PORT CHAIN KEY [CLIENT_CA]
 *           CHAIN: PEM certificates, leaf first, then the intermediates
 *           KEY:   the leaf's PEM private key
 *           CLIENT_CA: when given, a client certificate issued under it is required (mTLS)
 *   serves: the hello page to every HTTPS client on 127.0.0.1:PORT, one after another
 *
 * The SEED textbook's four steps: the TLS context, the TCP listener, the
 * handshake, the data. Plain OpenSSL 3 API.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char *kPage =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html\r\n"
    "Connection: close\r\n"
    "\r\n"
    "<!DOCTYPE html><html><head><title>Hello</title></head>"
    "<body><h1>Hello, world!</h1><p>from my own TLS server</p></body></html>\n";

/* Step 1: the TLS context with our certificate chain and key (and, for mTLS, the client CA). */
static SSL_CTX *setup_tls_server(const char *chain, const char *key, const char *client_ca) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return NULL;
  /* The chain file, not only the leaf: clients need the intermediate to reach their root. */
  if (SSL_CTX_use_certificate_chain_file(ctx, chain) != 1) {
    fprintf(stderr, "cannot load the certificate chain %s\n", chain);
    return NULL;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    fprintf(stderr, "cannot use the key %s (does it match the certificate?)\n", key);
    return NULL;
  }
  if (client_ca) {
    /* Trust client certificates issued under CLIENT_CA, name it in the
     * CertificateRequest, and refuse a client that sends none. */
    if (SSL_CTX_load_verify_locations(ctx, client_ca, NULL) != 1) {
      fprintf(stderr, "cannot load the client CA %s\n", client_ca);
      return NULL;
    }
    SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(client_ca));
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
  }
  return ctx;
}

/* Step 2: the TCP listener, on loopback only. */
static int setup_tcp_server(int port) {
  int listen_sock = socket(AF_INET, SOCK_STREAM, 0);
  if (listen_sock < 0) return -1;
  int on = 1;
  setsockopt(listen_sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (bind(listen_sock, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(listen_sock, 16) != 0) {
    perror("bind/listen");
    return -1;
  }
  return listen_sock;
}

/* Step 4: the data: read the request (up to its blank line), send the page. */
static void serve(SSL *ssl) {
  char request[8192];
  size_t used = 0;
  while (used < sizeof(request) - 1) {
    int len = SSL_read(ssl, request + used, (int)(sizeof(request) - 1 - used));
    if (len <= 0) break;
    used += (size_t)len;
    request[used] = '\0';
    if (strstr(request, "\r\n\r\n") || strstr(request, "\n\n")) break;
  }
  request[used] = '\0';
  fprintf(stderr, "request: %.*s\n", (int)strcspn(request, "\r\n"), request);
  SSL_write(ssl, kPage, (int)strlen(kPage));
}

int main(int argc, char *argv[]) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: %s PORT CHAIN KEY [CLIENT_CA]\n", argv[0]);
    return 1;
  }
  signal(SIGPIPE, SIG_IGN); /* a client that hangs up must not kill the server */
  SSL_CTX *ctx = setup_tls_server(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
  if (!ctx) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  int listen_sock = setup_tcp_server(atoi(argv[1]));
  if (listen_sock < 0) return 1;
  fprintf(stderr, "listening on 127.0.0.1:%s\n", argv[1]);

  for (;;) {
    int sock = accept(listen_sock, NULL, NULL);
    if (sock < 0) continue;
    /* One client at a time: one that stalls must not keep the others waiting for ever. */
    struct timeval timeout = {5, 0};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, sock);
    /* Step 3: the handshake (the client certificate is checked inside SSL_accept). */
    if (SSL_accept(ssl) == 1) {
      serve(ssl);
      SSL_shutdown(ssl);
    } else {
      fprintf(stderr, "handshake failed:\n");
      ERR_print_errors_fp(stderr);
    }
    SSL_free(ssl);
    close(sock);
  }
}
