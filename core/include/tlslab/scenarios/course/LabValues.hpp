#pragma once
// Per-student values that `tlslab lab run` uses too (with --student/--key, or
// inside the lab's workspace), so the runs a student makes are the ones the
// checker makes: derived from the student's Variant of the lab.
#include <string>

#include "tlslab/scenarios/course/Variant.hpp"

namespace tlslab::course {

// Lab 12: the request the student's client sends as 0-RTT early data, e.g.
// "GET /transfer?to=otter&amount=4812 HTTP/1.1\r\nHost: bank32.com\r\n\r\n".
std::string earlyDataRequest(const Variant& lab12);
// Lab 13: the confidential line of the student's mail (its Subject).
std::string mailSubject(const Variant& lab13);
// Lab 13: the command the attacker injects after STARTTLS, e.g. "RCPT TO:<eve.otter42@attacker32.com>".
std::string injectedCommand(const Variant& lab13);
// Lab 15: the server name the QUIC client sends (SNI and URL), e.g. "h3.otter4812.test".
std::string quicServerName(const Variant& lab15);
// Lab 15: the token on the page the QUIC server serves, e.g. "5e0c9a41b7d2": only the key log reveals it.
std::string quicPageToken(const Variant& lab15);
// Lab 15: that page (index.html), the token inside it.
std::string quicPage(const Variant& lab15);

}  // namespace tlslab::course
