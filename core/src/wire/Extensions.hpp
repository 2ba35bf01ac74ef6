#pragma once
// Private to wire: extension decoding shared by the message parsers.
#include <vector>

#include "Cursor.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire::detail {

// Which message an extension block sits in: several extensions have a
// different body in different messages (RFC 8446 §4.2 table).
enum class ExtWhere { ClientHello, ServerHello, HelloRetryRequest, EncryptedExtensions, Certificate,
                      CertificateRequest, NewSessionTicket };

// Reads an `Extension extensions<min..2^16-1>` block.
void dissectExtensions(Cursor& c, ExtWhere where, std::size_t min, std::vector<Extension>& out,
                       ExtensionSummary& summary);

}  // namespace tlslab::wire::detail
