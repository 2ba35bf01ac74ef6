// The sample captures of captures/, in README order: each with what it shows
// and the content a test dissects it for, and the lab run that makes it.
#include "CaptureRuns.hpp"

namespace tlslab::scenarios {

using namespace captures;

std::span<const SampleCapture> sampleCaptures() {
  static const std::vector<SampleCapture> table = [] {
    std::vector<SampleCapture> t;
    CaptureContent c;
    c.suite = "TLS_AES_256_GCM_SHA384";
    c.messages = {"EncryptedExtensions", "Certificate", "CertificateVerify", "Finished", "NewSessionTicket"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-https-hello.pcapng",
                 "TLS 1.3 (TLS_AES_256_GCM_SHA384, x25519): the 1-RTT handshake, encrypted handshake messages, two "
                 "NewSessionTickets, an HTTP GET and the hello page", c, tls13Basic});
    c = {};
    c.messages = {"HelloRetryRequest", "ClientHello", "ClientHello"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-hrr.pcapng",
                 "TLS 1.3 HelloRetryRequest: the client's X25519 key share is refused by a P-256-only server, which asks "
                 "again; the second ClientHello, the transcript's message_hash (RFC 8446 §4.4.1)", c, helloRetry});
    c = {};
    c.connections = 2;
    c.resumption = model::Resumption::Psk;
    c.earlyData = true;
    c.messages = {"EndOfEarlyData"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-psk-0rtt.pcapng",
                 "TLS 1.3 PSK resumption with 0-RTT: a full handshake whose ticket the second connection uses, its GET "
                 "sent as early data before the server's first flight, then EndOfEarlyData", c, zeroRtt});
    c = {};
    c.messages = {"KeyUpdate"};
    c.plaintext = {"GET /again"};
    t.push_back({"tls13-keyupdate.pcapng",
                 "TLS 1.3 KeyUpdate (RFC 8446 §4.6.3): a request, a KeyUpdate with update_requested, both sides' next "
                 "application traffic secrets, and a second request under them", c, keyUpdate});
    c = {};
    c.messages = {"CertificateRequest", "Certificate", "Certificate", "CertificateVerify", "CertificateVerify"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls13-client-cert.pcapng",
                 "TLS 1.3 mutual authentication: the server's CertificateRequest, student01's Certificate and "
                 "CertificateVerify (all encrypted)", c, clientCertificate});
    c = {};
    c.version = 0x0303;
    c.suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    c.messages = {"ServerKeyExchange", "ChangeCipherSpec", "Finished"};
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls12-ecdhe.pcapng",
                 "TLS 1.2 ECDHE-RSA with AES-128-GCM: ServerKeyExchange, ChangeCipherSpec, Finished under the new keys, "
                 "extended master secret. Forward secret: the server key alone cannot decrypt it", c, tls12Ecdhe});
    c.suite = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
    c.protection = "MAC-then-encrypt";
    t.push_back({"tls12-cbc-mte.pcapng",
                 "TLS 1.2 AES-128-CBC with HMAC-SHA1, MAC-then-encrypt (RFC 5246 §6.2.3.2): no encrypt_then_mac", c,
                 cbcMacThenEncrypt});
    c.protection = "encrypt-then-MAC";
    t.push_back({"tls12-cbc-etm.pcapng",
                 "the same suite with encrypt_then_mac (RFC 7366): the MAC over the ciphertext", c, cbcEncryptThenMac});
    c.protection = {};
    c.suite = "TLS_RSA_WITH_AES_256_GCM_SHA384";
    c.messages = {"ClientKeyExchange"};
    t.push_back({"tls12-rsa.pcapng",
                 "TLS 1.2 RSA key exchange (TLS_RSA_WITH_AES_256_GCM_SHA384): the pre-master secret travels encrypted "
                 "to the server's key, so certs/bank32-rsa/key.pem (public teaching material) decrypts it even without "
                 "the key log: no forward secrecy", c, rsaKeyExchange});
    c = {};
    c.version = 0x0303;
    c.connections = 2;
    c.resumption = model::Resumption::SessionId;
    c.plaintext = {"Hello from bank32.com"};
    t.push_back({"tls12-resume-id.pcapng",
                 "TLS 1.2 resumption by session ID (no tickets): the second connection's abbreviated handshake", c,
                 resumeById});
    c.resumption = model::Resumption::Ticket;
    t.push_back({"tls12-resume-ticket.pcapng",
                 "TLS 1.2 resumption by session ticket (RFC 5077): NewSessionTicket, then the ticket in the second "
                 "ClientHello", c, resumeByTicket});
    c = {};
    c.version = 0x0303;
    c.messages = {"ClientHello", "ClientHello", "ServerHello", "ServerHello"};
    c.plaintext = {"GET /again"};
    t.push_back({"tls12-renegotiation.pcapng",
                 "TLS 1.2 secure renegotiation (RFC 5746): a second handshake inside the first one's encryption", c,
                 renegotiation});
    c = {};
    c.connections = 2;
    c.plaintext = {"password=hunter2"};
    t.push_back({"mitm-both-legs.pcapng",
                 "the MITM lab, both legs: a chain-only victim accepts attacker32.com's certificate; the attacker's "
                 "own TLS to bank32.com carries the stolen login", c, mitmBothLegs});
    c = {};
    c.allDecrypted = false;
    c.alert = "bad_record_mac";
    t.push_back({"tamper-flip.pcapng",
                 "the tamper lab: one bit of the request's record flipped in flight; the record does not open and the "
                 "server answers bad_record_mac", c, tamper});
    c = {};
    c.allDecrypted = false;
    c.alert = "unknown_ca";
    c.messages = {"Certificate"};
    t.push_back({"verify-failed.pcapng",
                 "a failed verification: a correct client shown a self-signed bank32.com certificate aborts with the "
                 "alert unknown_ca (48)", c, failedVerification});
    c = {};
    c.startTls = "SMTP";
    c.plaintext = {"STARTTLS", "AUTH PLAIN"};
    t.push_back({"starttls-smtp.pcapng",
                 "SMTP STARTTLS (RFC 3207): the plaintext EHLO/STARTTLS preamble, then TLS 1.3 and the mail session "
                 "(AUTH PLAIN credentials) inside it", c, starttlsSmtp});
    c.startTls = "IMAP";
    c.plaintext = {"STARTTLS", "LOGIN student01"};
    t.push_back({"starttls-imap.pcapng",
                 "IMAP STARTTLS (RFC 9051 §6.2.1, RFC 2595): CAPABILITY and STARTTLS in cleartext, LOGIN and FETCH "
                 "inside TLS", c, starttlsImap});
    c.startTls = "POP3";
    c.plaintext = {"STLS", "PASS secret"};
    t.push_back({"starttls-pop3.pcapng",
                 "POP3 STLS (RFC 2595): CAPA and STLS in cleartext, USER, PASS and RETR inside TLS", c, starttlsPop3});
    c = {};
    c.version = 0;
    c.plaintext = {"password=hunter2"};
    t.push_back({"plain-login.pcapng",
                 "lab 1's login over plain TCP: the password in the POST body, readable by anyone on the path", c,
                 plainLogin});
    return t;
  }();
  return table;
}

}  // namespace tlslab::scenarios
