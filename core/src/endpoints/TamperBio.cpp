#include "TamperBio.hpp"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <string>

namespace tlslab::endpoints {

const char* tamperActionName(Tamper::Action action) {
  switch (action) {
    case Tamper::Action::None: return "none";
    case Tamper::Action::FlipByte: return "flip-byte";
    case Tamper::Action::Drop: return "drop";
    case Tamper::Action::Duplicate: return "duplicate";
    case Tamper::Action::Truncate: return "truncate";
    default: return "unknown";
  }
}

namespace {

constexpr std::size_t kHeader = 5;

struct TamperState {
  Tamper tamper;
  Recorder* recorder = nullptr;
  std::string buffered;  // bytes of a record not yet complete
  int seen = 0;          // records of the chosen content type so far
  bool cut = false;      // Truncate happened: swallow everything after
};

bool forward(BIO* bio, const std::string& bytes) {
  std::size_t written = 0;
  return bytes.empty() || (BIO_write_ex(BIO_next(bio), bytes.data(), bytes.size(), &written) == 1 && written == bytes.size());
}

// Applies the action to one complete record; returns the bytes to send.
std::string apply(TamperState& st, BIO* bio, std::string record) {
  if (static_cast<std::uint8_t>(record[0]) != st.tamper.contentType || st.seen++ != st.tamper.recordIndex) return record;
  std::string what = "tamper: record " + std::to_string(st.tamper.recordIndex) + " (" + std::to_string(record.size()) + " bytes) ";
  switch (st.tamper.action) {
    case Tamper::Action::FlipByte: {
      long off = st.tamper.byteOffset < 0 ? static_cast<long>(record.size()) - 1 : st.tamper.byteOffset;
      if (off >= static_cast<long>(record.size())) off = static_cast<long>(record.size()) - 1;
      record[static_cast<std::size_t>(off)] = static_cast<char>(record[static_cast<std::size_t>(off)] ^ st.tamper.flipMask);
      st.recorder->record(NoteEvent{nowUs(), what + "byte " + std::to_string(off) + " flipped in flight"});
      return record;
    }
    case Tamper::Action::Drop:
      st.recorder->record(NoteEvent{nowUs(), what + "dropped in flight"});
      return {};
    case Tamper::Action::Duplicate:
      st.recorder->record(NoteEvent{nowUs(), what + "sent twice"});
      return record + record;
    case Tamper::Action::Truncate: {
      st.recorder->record(NoteEvent{nowUs(), what + "never sent: TCP connection cut without close_notify"});
      st.cut = true;
      int fd = -1;
      BIO_get_fd(BIO_next(bio), &fd);
      if (fd >= 0) ::shutdown(fd, SHUT_WR);
      return {};
    }
    case Tamper::Action::None:
    default: return record;
  }
}

int tamperWrite(BIO* bio, const char* data, std::size_t len, std::size_t* written) {
  auto* st = static_cast<TamperState*>(BIO_get_data(bio));
  *written = len;  // we take everything; incomplete records wait in the buffer
  if (st->cut) return 1;
  st->buffered.append(data, len);
  while (st->buffered.size() >= kHeader) {
    auto b = reinterpret_cast<const unsigned char*>(st->buffered.data());
    std::size_t total = kHeader + (static_cast<std::size_t>(b[3]) << 8 | b[4]);
    if (st->buffered.size() < total) break;
    std::string out = apply(*st, bio, st->buffered.substr(0, total));
    st->buffered.erase(0, total);
    if (!forward(bio, out)) return 0;
    if (st->cut) break;
  }
  return 1;
}

int tamperRead(BIO* bio, char* data, std::size_t len, std::size_t* read) {
  int rc = BIO_read_ex(BIO_next(bio), data, len, read);
  BIO_clear_retry_flags(bio);
  BIO_copy_next_retry(bio);
  return rc;
}

long tamperCtrl(BIO* bio, int cmd, long num, void* ptr) {
  if (cmd == BIO_CTRL_WPENDING) return static_cast<long>(static_cast<TamperState*>(BIO_get_data(bio))->buffered.size());
  return BIO_ctrl(BIO_next(bio), cmd, num, ptr);
}

int tamperCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int tamperDestroy(BIO* bio) {
  delete static_cast<TamperState*>(BIO_get_data(bio));
  BIO_set_data(bio, nullptr);
  return 1;
}

BIO_METHOD* tamperMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_FILTER, "tlslab tamper");
    BIO_meth_set_write_ex(m, tamperWrite);
    BIO_meth_set_read_ex(m, tamperRead);
    BIO_meth_set_ctrl(m, tamperCtrl);
    BIO_meth_set_create(m, tamperCreate);
    BIO_meth_set_destroy(m, tamperDestroy);
    return m;
  }();
  return method;
}

}  // namespace

void installTamper(SSL* ssl, const Tamper& tamper, Recorder& recorder) {
  if (tamper.action == Tamper::Action::None) return;
  BIO* socket = SSL_get_wbio(ssl);
  BIO* filter = BIO_new(tamperMethod());
  BIO_set_data(filter, new TamperState{tamper, &recorder, {}, 0, false});
  // The socket BIO is shared with the read side; the filter chain needs its own reference.
  BIO_up_ref(socket);
  BIO_push(filter, socket);
  SSL_set0_wbio(ssl, filter);
}

}  // namespace tlslab::endpoints
