#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/FollowApp.hpp"
#include "tlslab/app/Conversation.hpp"
#include "tlslab/app/Render.hpp"

namespace tlslab::cli {

bool printApplication(const model::TraceConnection& conn, bool hex) {
  const app::Conversation conversation = app::decodeConversation(conn);
  if (conversation.protocol == app::Protocol::None) {
    std::cout << "(no application protocol recognised: the bytes follow)\n";
    return false;
  }
  app::TextOptions options;
  options.hex = hex;
  std::cout << app::conversationText(conversation, options);
  return true;
}

int printApplicationJson(const model::TraceConnection& conn) {
  nlohmann::json out = {{"connection", conn.index},
                        {"client", conn.client},
                        {"server", conn.server},
                        {"alpn", conn.negotiated.alpn},
                        {"decryption", conn.decryption.text},
                        {"application", app::conversationJson(app::decodeConversation(conn))}};
  std::cout << out.dump(2) << "\n";
  using Kind = model::Decryption::Kind;
  const bool ok = !conn.appData.empty() || conn.decryption.kind == Kind::Decrypted ||
                  conn.decryption.kind == Kind::NothingEncrypted;
  return ok ? 0 : 1;
}

}  // namespace tlslab::cli
