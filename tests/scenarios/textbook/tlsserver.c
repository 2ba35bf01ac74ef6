/* A TLS server in the style of the SEED textbook's tlsserver.c, written for
 * the tests from the published structure and calls, as close to it as
 * OpenSSL 3 allows, with the lab's interface (PORT CHAIN KEY [CLIENT_CA]):
 * the library initialisation of old, TLSv1_2_method, one SSL made before the
 * accept loop, a fork per connection, one SSL_read of the request and the
 * HTML page written back. Two changes the lab needs: the certificate is
 * loaded with SSL_CTX_use_certificate_chain_file (the lab's servers are
 * issued by an intermediate, which the textbook's one-level PKI has not), and
 * it listens on 127.0.0.1 rather than INADDR_ANY (the tests stay on loopback).
 * With CLIENT_CA it requires a client certificate, as the textbook's
 * client-authentication section does. */
#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHK_SSL(err) if ((err) < 1) { ERR_print_errors_fp(stderr); exit(2); }
#define CHK_ERR(err, s) if ((err) == -1) { perror(s); exit(1); }

int setupTCPServer(int port);
void processRequest(SSL* ssl, int sock);

int main(int argc, char *argv[])
{
    const SSL_METHOD *meth;
    SSL_CTX* ctx;
    SSL *ssl;

    if (argc < 4) { fprintf(stderr, "usage: %s PORT CHAIN KEY [CLIENT_CA]\n", argv[0]); exit(1); }

    // Step 0: OpenSSL library initialization
    // This step is no longer needed as of version 1.1.0.
    SSL_library_init();
    SSL_load_error_strings();
    SSLeay_add_ssl_algorithms();

    // Step 1: SSL context initialization
    meth = TLSv1_2_method();
    ctx = SSL_CTX_new(meth);
    if (argc > 4) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
        SSL_CTX_load_verify_locations(ctx, argv[4], NULL);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    }

    // Step 2: Set up the server certificate and private key
    SSL_CTX_use_certificate_chain_file(ctx, argv[2]);
    SSL_CTX_use_PrivateKey_file(ctx, argv[3], SSL_FILETYPE_PEM);

    // Step 3: Create a new SSL structure for a connection
    ssl = SSL_new(ctx);

    struct sockaddr_in sa_client;
    socklen_t client_len = sizeof(sa_client);
    int listen_sock = setupTCPServer(atoi(argv[1]));

    while (1) {
        int sock = accept(listen_sock, (struct sockaddr*)&sa_client, &client_len);
        if (fork() == 0) { // The child process
            close(listen_sock);

            SSL_set_fd(ssl, sock);
            int err = SSL_accept(ssl);
            CHK_SSL(err);
            printf("SSL connection established!\n");

            processRequest(ssl, sock);
            close(sock);
            return 0;
        } else { // The parent process
            close(sock);
        }
    } // End of while loop
}

int setupTCPServer(int port)
{
    struct sockaddr_in sa_server;
    int listen_sock;

    listen_sock = socket(PF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHK_ERR(listen_sock, "socket");
    memset(&sa_server, '\0', sizeof(sa_server));
    sa_server.sin_family = AF_INET;
    sa_server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa_server.sin_port = htons(port);
    int err = bind(listen_sock, (struct sockaddr*)&sa_server, sizeof(sa_server));
    CHK_ERR(err, "bind");
    err = listen(listen_sock, 5);
    CHK_ERR(err, "listen");
    return listen_sock;
}

void processRequest(SSL* ssl, int sock)
{
    char buf[1024];
    int len = SSL_read(ssl, buf, sizeof(buf) - 1);
    buf[len] = '\0';
    printf("Received: %s\n", buf);

    // Construct and send the HTML page
    char *html =
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/html\r\n\r\n"
        "<!DOCTYPE html><html>"
        "<head><title>Hello World</title></head>"
        "<style>body {background-color: black}"
        "h1 {font-size:3cm; text-align: center; color: white;"
        "text-shadow: 0 0 3mm yellow}</style></head>"
        "<body><h1>Hello, world!</h1></body></html>";
    SSL_write(ssl, html, strlen(html));
    SSL_shutdown(ssl);
    SSL_free(ssl);
}
