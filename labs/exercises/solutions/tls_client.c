/* tls_client.c: the reference solution of tlslab lab 4 (and lab 6's correct client).
 * Teachers' copy: never copied into a student's workspace, never needed by the checker.
 *
 *   usage:  ./tls_client HOSTNAME PORT
 *   trusts: the CAs in ./cert (a hashed directory: <subject_hash>.0 files)
 *   prints: the server's response on stdout; what went wrong on stderr
 *
 * The SEED textbook's four steps: the TLS context, the TCP connection, the
 * handshake, the data. Plain OpenSSL 3 API.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CA_DIR "./cert"

/* Called once per certificate of the chain (root first) and once more for the
 * host-name check at depth 0. Returning preverify_ok keeps OpenSSL's verdict;
 * returning 1 would accept every certificate (lab 6). */
static int verify_callback(int preverify_ok, X509_STORE_CTX *store) {
  int depth = X509_STORE_CTX_get_error_depth(store);
  X509 *cert = X509_STORE_CTX_get_current_cert(store);
  char subject[256] = "?";
  if (cert) X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
  if (preverify_ok) {
    fprintf(stderr, "verify depth %d: ok %s\n", depth, subject);
  } else {
    int err = X509_STORE_CTX_get_error(store);
    fprintf(stderr, "verify depth %d: error %d (%s) %s\n", depth, err, X509_verify_cert_error_string(err), subject);
  }
  return preverify_ok;
}

/* Step 1: the TLS context, the CAs we trust, and the name we expect. */
static SSL *setup_tls_client(const char *hostname) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return NULL;
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_callback);
  if (SSL_CTX_load_verify_locations(ctx, NULL, CA_DIR) != 1) {
    fprintf(stderr, "cannot use the CA folder %s\n", CA_DIR);
    return NULL;
  }
  SSL *ssl = SSL_new(ctx);
  SSL_CTX_free(ctx); /* the SSL keeps its own reference */
  if (!ssl) return NULL;
  X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
  /* The host-name check: without it any valid certificate, for any site, is accepted. */
  X509_VERIFY_PARAM_set1_host(param, hostname, 0);
  /* Beyond the textbook (the bonus gallery entries): match names in the SAN only, as
   * browsers do (RFC 6125 6.4.4), and check the leaf against its CA's CRL, which the lab
   * puts in ./cert as <issuer_hash>.r0. */
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
  SSL_set_tlsext_host_name(ssl, hostname); /* SNI: which site we want */
  return ssl;
}

/* Step 2: the TCP connection. */
static int setup_tcp_client(const char *hostname, int port) {
  struct hostent *hp = gethostbyname(hostname);
  if (!hp || hp->h_addrtype != AF_INET) {
    fprintf(stderr, "cannot resolve %s\n", hostname);
    return -1;
  }
  struct sockaddr_in server;
  memset(&server, 0, sizeof(server));
  server.sin_family = AF_INET;
  server.sin_port = htons(port);
  memcpy(&server.sin_addr, hp->h_addr_list[0], hp->h_length);
  int sockfd = socket(AF_INET, SOCK_STREAM, 0);
  if (sockfd < 0 || connect(sockfd, (struct sockaddr *)&server, sizeof(server)) != 0) {
    perror("connect");
    return -1;
  }
  return sockfd;
}

int main(int argc, char *argv[]) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s HOSTNAME PORT\n", argv[0]);
    return 1;
  }
  const char *hostname = argv[1];
  int port = atoi(argv[2]);

  SSL *ssl = setup_tls_client(hostname);
  if (!ssl) {
    ERR_print_errors_fp(stderr);
    return 1;
  }
  int sockfd = setup_tcp_client(hostname, port);
  if (sockfd < 0) return 1;

  /* Step 3: the handshake; the certificate is checked inside SSL_connect. */
  SSL_set_fd(ssl, sockfd);
  if (SSL_connect(ssl) != 1) {
    long result = SSL_get_verify_result(ssl);
    if (result != X509_V_OK)
      fprintf(stderr, "certificate verification failed: %s\n", X509_verify_cert_error_string(result));
    ERR_print_errors_fp(stderr);
    return 2;
  }
  fprintf(stderr, "connected with %s, %s\n", SSL_get_version(ssl), SSL_get_cipher(ssl));

  /* Step 4: the data. */
  char request[512];
  snprintf(request, sizeof(request), "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", hostname);
  if (SSL_write(ssl, request, (int)strlen(request)) <= 0) {
    ERR_print_errors_fp(stderr);
    return 2;
  }
  char buf[4096];
  int len;
  while ((len = SSL_read(ssl, buf, sizeof(buf))) > 0) fwrite(buf, 1, (size_t)len, stdout);

  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(sockfd);
  return 0;
}
