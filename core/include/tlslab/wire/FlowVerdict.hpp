#pragma once
// Verdicts on each handshake message of one connection, from the flow table
// (Flow.hpp: is this message allowed here?) and the extension table
// (ExtensionTypes.hpp: may this extension sit in this TLS 1.3 message? RFC
// 8446 §4.2; is any extension repeated?). The dissector feeds it every
// message it reads, so the Trace says what a conformant peer would not send.
#include <string>
#include <vector>

#include "tlslab/wire/Flow.hpp"
#include "tlslab/wire/Messages.hpp"

namespace tlslab::wire {

class FlowJudge {
 public:
  // What is wrong with `message` from `from` at this point, one sentence
  // each; empty when it fits. `afterGap`: messages before it could not be
  // read (undecryptable records), so its order is not judged and the flow is
  // rejoined at it.
  std::vector<std::string> judge(Sender from, const HandshakeMessage& message, bool afterGap = false);

 private:
  std::string judgeOrder(Sender from, const HandshakeMessage& message, bool afterGap);
  FlowTracker tracker_;
  bool seen_ = false;   // a message has been judged (a Finished needs its implied ChangeCipherSpec)
  bool tls13_ = false;  // the ServerHello chose TLS 1.3: its extension rules apply
};

}  // namespace tlslab::wire
