#include "TamperBio.hpp"

#include <sys/socket.h>

#include <fmt/core.h>

#include <memory>

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

std::string shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (c == '\r') return "'\\r'";
  if (c == '\n') return "'\\n'";
  return u >= 0x20 && u < 0x7f ? fmt::format("'{}'", c) : fmt::format("0x{:02x}", u);
}

}  // namespace

std::string Tamperer::flip(std::string unit, std::size_t offset, const std::string& what, bool showCharacters) {
  char before = unit[offset];
  unit[offset] = static_cast<char>(before ^ tamper_.flipMask);
  std::string change = showCharacters ? ": " + shown(before) + " -> " + shown(unit[offset])
                                      : fmt::format(": 0x{:02x} -> 0x{:02x}", static_cast<unsigned char>(before),
                                                    static_cast<unsigned char>(unit[offset]));
  recorder_.record(NoteEvent{nowUs(), fmt::format("{} flipped in flight (mask 0x{:02x}){}", what, tamper_.flipMask, change),
                             NoteKind::Tampered});
  return unit;
}

// Drop, Duplicate, Truncate: the same on a record and on a cleartext write.
std::string Tamperer::act(std::string unit, const std::string& what, int fd, bool tls) {
  switch (tamper_.action) {
    case Tamper::Action::Drop:
      recorder_.record(NoteEvent{nowUs(), what + "dropped in flight", NoteKind::Tampered});
      return {};
    case Tamper::Action::Duplicate:
      recorder_.record(NoteEvent{nowUs(), what + "sent twice", NoteKind::Tampered});
      return unit + unit;
    case Tamper::Action::Truncate:
      recorder_.record(
          NoteEvent{nowUs(), what + "never sent: TCP connection cut" + (tls ? " without close_notify" : ""), NoteKind::Tampered});
      cut_ = true;
      if (fd >= 0) ::shutdown(fd, SHUT_WR);
      return {};
    case Tamper::Action::FlipByte:
    case Tamper::Action::None:
    default: return unit;
  }
}

std::string Tamperer::onRecord(std::string record, int fd) {
  if (cut_) return {};
  if (static_cast<std::uint8_t>(record[0]) != tamper_.contentType || seen_++ != tamper_.recordIndex) return record;
  std::string what = "tamper: record " + std::to_string(tamper_.recordIndex) + " (" + std::to_string(record.size()) + " bytes) ";
  if (tamper_.action != Tamper::Action::FlipByte) return act(std::move(record), what, fd, true);
  const long last = static_cast<long>(record.size()) - 1;
  long offset = tamper_.byteOffset < 0 ? last : tamper_.byteOffset;
  if (offset > last) {
    what += "has no byte " + std::to_string(offset) + ", so its last ";
    offset = last;
  }
  return flip(std::move(record), static_cast<std::size_t>(offset), what + "byte " + std::to_string(offset), false);
}

std::string Tamperer::onCleartextWrite(std::string bytes, int fd) {
  if (cut_) return {};
  const int write = writes_++;
  const std::size_t start = cleartextOffset_;
  cleartextOffset_ += bytes.size();
  const std::string what = fmt::format("tamper: cleartext write {} ({} bytes) ", write, bytes.size());
  if (tamper_.action == Tamper::Action::FlipByte) {
    const std::size_t offset = tamper_.byteOffset < 0 ? 0 : static_cast<std::size_t>(tamper_.byteOffset);
    if (offset < start || offset >= cleartextOffset_) return bytes;
    return flip(std::move(bytes), offset - start, what + fmt::format("byte {} of the request", offset), true);
  }
  if (write != tamper_.recordIndex) return bytes;
  return act(std::move(bytes), what, fd, false);
}

namespace {

struct FilterState {
  Tamperer tamperer;
  std::string buffered;  // bytes of a record not yet complete
};

bool forward(BIO* bio, const std::string& bytes) {
  std::size_t written = 0;
  return bytes.empty() || (BIO_write_ex(BIO_next(bio), bytes.data(), bytes.size(), &written) == 1 && written == bytes.size());
}

int tamperWrite(BIO* bio, const char* data, std::size_t len, std::size_t* written) {
  auto* st = static_cast<FilterState*>(BIO_get_data(bio));
  *written = len;  // we take everything; incomplete records wait in the buffer
  if (st->tamperer.cut()) return 1;
  st->buffered.append(data, len);
  while (st->buffered.size() >= kHeader) {
    auto b = reinterpret_cast<const unsigned char*>(st->buffered.data());
    std::size_t total = kHeader + (static_cast<std::size_t>(b[3]) << 8 | b[4]);
    if (st->buffered.size() < total) break;
    int fd = -1;
    BIO_get_fd(BIO_next(bio), &fd);
    std::string out = st->tamperer.onRecord(st->buffered.substr(0, total), fd);
    st->buffered.erase(0, total);
    if (!forward(bio, out)) return 0;
    if (st->tamperer.cut()) break;
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
  if (cmd == BIO_CTRL_WPENDING) return static_cast<long>(static_cast<FilterState*>(BIO_get_data(bio))->buffered.size());
  return BIO_ctrl(BIO_next(bio), cmd, num, ptr);
}

int tamperCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int tamperDestroy(BIO* bio) {
  delete static_cast<FilterState*>(BIO_get_data(bio));
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
  BIO_set_data(filter, new FilterState{Tamperer(tamper, recorder), {}});
  // The socket BIO is shared with the read side; the filter chain needs its own reference.
  BIO_up_ref(socket);
  BIO_push(filter, socket);
  SSL_set0_wbio(ssl, filter);
}

}  // namespace tlslab::endpoints
