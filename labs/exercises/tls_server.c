/* tls_server.c: your own TLS server, then client certificates (tlslab lab 7).
 *
 *   usage:  ./tls_server PORT CHAIN KEY [CLIENT_CA]
 *           e.g.  ./tls_server 4433 server/chain.pem server/key.pem
 *           CHAIN: PEM certificates, leaf first, then the intermediates
 *           KEY:   the leaf's PEM private key
 *           CLIENT_CA: (part 2) require a client certificate issued under it
 *   serves: the hello page to every HTTPS client on 127.0.0.1:PORT, one after another
 *
 * The SEED textbook's four steps: the TLS context, the TCP listener, the
 * handshake, the data. Complete the blocks marked TODO (each names the
 * OpenSSL calls to read about), then
 *   make                   (or: tlslab lab build 7)
 *   tlslab lab check 7     (talks to it with tlslab, openssl s_client and gnutls-cli)
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
    "<body><h1>Hello, world!</h1></body></html>\n";

/* Step 1: the TLS context with our certificate chain and key (and, for mTLS, the client CA). */
static SSL_CTX *setup_tls_server(const char *chain, const char *key, const char *client_ca) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return NULL;

  /* TODO 1a: load the certificates of the file `chain` (leaf first, then the
   *   Issuing CA) and the private key of the file `key`, and check that they
   *   belong together. Return NULL (after a message on stderr) when any step
   *   fails. Careful: a client needs the intermediate too, so load the whole
   *   chain, not only the first certificate.
   *   (SSL_CTX_use_certificate_chain_file, SSL_CTX_use_PrivateKey_file,
   *   SSL_CTX_check_private_key) */
  (void)chain;
  (void)key;

  if (client_ca) {
    /* TODO 1b (part 2, mTLS): trust client certificates issued under the CA in
     *   the file `client_ca`, send its name in the CertificateRequest, and
     *   refuse a client that sends no certificate.
     *   (SSL_CTX_load_verify_locations, SSL_CTX_set_client_CA_list with
     *   SSL_load_client_CA_file, SSL_CTX_set_verify with SSL_VERIFY_PEER |
     *   SSL_VERIFY_FAIL_IF_NO_PEER_CERT) */
  }
  return ctx;
}

/* Step 2: the TCP listener, on loopback only. */
static int setup_tcp_server(int port) {
  int listen_sock = -1;

  /* TODO 2: make a TCP socket, bind it to 127.0.0.1 (INADDR_LOOPBACK) and
   *   `port`, and listen. SO_REUSEADDR lets you restart the server at once.
   *   Print why (perror) and return -1 when anything fails. */
  (void)port;

  return listen_sock;
}

/* Step 4: the data: read the request (up to its blank line), send the page. */
void serve(SSL *ssl) {
  /* TODO 4: read the client's request with SSL_read (a request ends with an
   *   empty line: "\r\n\r\n", or "\n\n" from the textbook's client), then
   *   send kPage with SSL_write. */
  (void)ssl;
  (void)kPage;
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

  for (;;) { /* one client after another, for as long as the server runs */
    int sock = accept(listen_sock, NULL, NULL);
    if (sock < 0) {
      perror("accept");
      return 1;
    }
    /* One client at a time: one that stalls must not keep the others waiting for ever. */
    struct timeval timeout = {5, 0};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, sock);

    /* TODO 3: run the handshake (SSL_accept). When it succeeds, serve(ssl)
     *   and then SSL_shutdown(ssl); when it fails, print OpenSSL's errors
     *   (ERR_print_errors_fp) and go on with the next client: one bad client
     *   must not stop the server. */

    SSL_free(ssl);
    close(sock);
  }
}
