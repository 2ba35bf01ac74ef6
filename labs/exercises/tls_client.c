/* tls_client.c: your first TLS client (tlslab lab 4; lab 6 changes it).
 *
 *   usage:  ./tls_client HOSTNAME PORT          e.g.  ./tls_client bank32.com 4433
 *   trusts: the CAs in ./cert (a hashed directory: <subject_hash>.0 files)
 *   prints: the server's response on stdout; what went wrong on stderr
 *
 * The SEED textbook's four steps: the TLS context, the TCP connection, the
 * handshake, the data. Complete the blocks marked TODO (each names the
 * OpenSSL calls to read about: `man SSL_CTX_set_verify`, ...), then
 *   make                   (or: tlslab lab build 4)
 *   tlslab lab check 4     (runs it against the lab server, the bad-certificate
 *                           gallery and a man in the middle)
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

/* Step 1: the TLS context, the CAs we trust, and the name we expect. */
static SSL *setup_tls_client(const char *hostname) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return NULL;

  /* TODO 1a: make OpenSSL verify the server's certificate chain during the
   *   handshake, and abort it when the chain is bad.   (SSL_CTX_set_verify) */

  /* TODO 1b: trust the CAs in the folder CA_DIR.  (SSL_CTX_load_verify_locations:
   *   a folder is its third argument) */

  SSL *ssl = SSL_new(ctx);
  SSL_CTX_free(ctx); /* the SSL keeps its own reference */
  if (!ssl) return NULL;

  /* TODO 1c: tell OpenSSL which host name the certificate must be for, so it
   *   checks the name too (X509_VERIFY_PARAM_set1_host on SSL_get0_param(ssl)).
   *   A chain can be perfectly valid for some other site. */

  SSL_set_tlsext_host_name(ssl, hostname); /* SNI: tells the server which site we want */
  return ssl;
}

/* Step 2: the TCP connection. */
static int setup_tcp_client(const char *hostname, int port) {
  int sockfd = -1;

  /* TODO 2: find the server's IPv4 address (gethostbyname(hostname): the lab
   *   makes HOSTNAME resolve the way the textbook's /etc/hosts line does),
   *   make a TCP socket and connect it to that address and `port`.
   *   Print why on stderr and return -1 when anything fails. */
  (void)hostname;
  (void)port;

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

  /* Step 3: the handshake. */
  SSL_set_fd(ssl, sockfd);

  /* TODO 3: run the handshake (SSL_connect). When it fails, print why on
   *   stderr (SSL_get_verify_result and X509_verify_cert_error_string name a
   *   certificate problem; ERR_print_errors_fp prints OpenSSL's errors) and
   *   exit with status 2. Never go on to send data after a failed handshake. */

  /* Step 4: the data. */

  /* TODO 4: send an HTTP request for "/" of `hostname` (SSL_write), e.g.
   *   "GET / HTTP/1.1\r\nHost: bank32.com\r\nConnection: close\r\n\r\n",
   *   then print everything the server sends on stdout (SSL_read until it
   *   returns 0 or less). */

  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(sockfd);
  return 0;
}
