#pragma once
// The conversation as the printout and the GUI show it (one text, so both show
// the same), and as JSON (`tlslab follow --app --json`).
#include <cstddef>
#include <limits>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "tlslab/app/Conversation.hpp"

namespace tlslab::app {

struct TextOptions {
  std::size_t maxBodyShown = std::numeric_limits<std::size_t>::max();  // bytes of each body shown
  bool hex = false;     // bodies as hex dumps even when they are text
  bool frames = true;   // HTTP/2: list every frame under its stream
};

std::string conversationText(const Conversation& conversation, const TextOptions& options = {});
// Bodies: "text" when the (decoded) bytes are UTF-8 text, else "hex"; whole.
nlohmann::json conversationJson(const Conversation& conversation);

}  // namespace tlslab::app
