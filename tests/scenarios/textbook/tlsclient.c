/* A TLS client in the style of the SEED textbook's tlsclient.c (W. Du,
 * "Computer & Internet Security", the TLS programming chapter), written
 * for the tests from the published structure and calls, as close to it as
 * OpenSSL 3 allows: the library initialisation of old, TLSv1_2_method, the
 * CA folder ./cert, the host-name check on SSL_get0_param, gethostbyname,
 * a GET with bare "\n" line ends and the do/while SSL_read loop.
 * The course's checks must accept it as it is. */
#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHK_SSL(err) if ((err) < 1) { ERR_print_errors_fp(stderr); exit(2); }
#define CA_DIR "./cert"

SSL* setupTLSClient(const char* hostname)
{
    // Step 0: OpenSSL library initialization
    // This step is no longer needed as of version 1.1.0.
    SSL_library_init();
    SSL_load_error_strings();
    SSLeay_add_ssl_algorithms();

    SSL_METHOD *meth;
    SSL_CTX* ctx;
    SSL* ssl;

    meth = (SSL_METHOD *)TLSv1_2_method();
    ctx = SSL_CTX_new(meth);

    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_load_verify_locations(ctx, NULL, CA_DIR) < 1) {
        printf("Error setting the verify locations. \n");
        exit(0);
    }
    ssl = SSL_new(ctx);

    X509_VERIFY_PARAM *vpm = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set1_host(vpm, hostname, 0);

    return ssl;
}

int setupTCPClient(const char* hostname, int port)
{
    struct sockaddr_in server_addr;

    // Get the IP address from hostname
    struct hostent* hp = gethostbyname(hostname);

    // Create a TCP socket
    int sockfd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    // Fill in the destination information (IP, port #, and family)
    memset(&server_addr, '\0', sizeof(server_addr));
    memcpy(&(server_addr.sin_addr.s_addr), hp->h_addr, hp->h_length);
    server_addr.sin_port = htons(port);
    server_addr.sin_family = AF_INET;

    // Connect to the destination
    connect(sockfd, (struct sockaddr*) &server_addr, sizeof(server_addr));

    return sockfd;
}

int main(int argc, char *argv[])
{
    char *hostname = "example.com";
    int port = 443;

    if (argc > 1) hostname = argv[1];
    if (argc > 2) port = atoi(argv[2]);

    /*----------------TLS initialization ----------------*/
    SSL *ssl = setupTLSClient(hostname);

    /*----------------Create a TCP connection ---------------*/
    int sockfd = setupTCPClient(hostname, port);

    /*----------------TLS handshake ---------------------*/
    SSL_set_fd(ssl, sockfd);
    int err = SSL_connect(ssl); CHK_SSL(err);
    printf("SSL connection is successful\n");
    printf("SSL connection using %s\n", SSL_get_cipher(ssl));

    /*----------------Send/Receive data --------------------*/
    char buf[9000];
    char sendBuf[200];

    sprintf(sendBuf, "GET / HTTP/1.1\nHost: %s\n\n", hostname);
    SSL_write(ssl, sendBuf, strlen(sendBuf));

    int len;
    do {
        len = SSL_read(ssl, buf, sizeof(buf) - 1);
        buf[len] = '\0';
        printf("%s\n", buf);
    } while (len > 0);
}
