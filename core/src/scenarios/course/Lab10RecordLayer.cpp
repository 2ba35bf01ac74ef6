// Lab 10 — The record layer: one SSL_write of the student's size becomes
// records of at most 2^14 bytes, each sealed with its sequence number; the
// server's reader, with the student's buffer, gets less than a record per
// SSL_read; TCP segments ignore record boundaries; CBC with MAC-then-encrypt
// and TLS 1.3 padding change the record lengths in ways the student computes.
#include <array>

#include "CheckHelpers.hpp"
#include "Lab10Checks.hpp"
#include "Labs.hpp"
#include "MaterialFiles.hpp"

namespace tlslab::course {
namespace lab10 {

namespace {

constexpr std::array<std::size_t, 6> kPads{100, 128, 256, 500, 512, 1000};

std::string joined(const std::vector<std::size_t>& values) {
  std::string out;
  for (std::size_t v : values) out += (out.empty() ? "" : " ") + std::to_string(v);
  return out;
}

}  // namespace

std::string Values::flags() const { return fmt::format("--size {} --buffer {}", size, buffer); }

Values valuesOf(const Variant& v) {
  Values values;
  values.size = 17000 + v.number("size", 0, 23000);
  values.buffer = 2000 + v.number("buffer", 0, 10000);
  values.pad = kPads[v.number("pad", 0, kPads.size() - 1)];
  return values;
}

std::vector<std::size_t> recordSizes(const Values& values) {
  std::vector<std::size_t> sizes;
  for (std::size_t left = values.size; left > 0; left -= std::min(left, kMaxFragment)) sizes.push_back(std::min(left, kMaxFragment));
  return sizes;
}

// SSL_read hands out the bytes of one record at a time: a call never joins
// the end of one record to the start of the next.
std::vector<std::size_t> readReturns(const Values& values) {
  std::vector<std::size_t> reads;
  for (std::size_t record : recordSizes(values))
    for (std::size_t left = record; left > 0; left -= std::min(left, values.buffer)) reads.push_back(std::min(left, values.buffer));
  return reads;
}

std::size_t tls13Length(std::size_t data) { return data + 1 + 16; }

// IV + data + HMAC-SHA1 + padding to the 16-byte block, the padding length byte included.
std::size_t cbcMacThenEncryptLength(std::size_t data) { return 16 + (data + 20 + 1 + 15) / 16 * 16; }

// OpenSSL pads data + type up to a multiple of the block, but never past 2^14 of inner plaintext.
std::size_t paddedLength(std::size_t data, std::size_t block) {
  const std::size_t inner = data + 1;
  std::size_t padding = inner % block == 0 ? 0 : block - inner % block;
  padding = std::min(padding, kMaxFragment + 1 > inner ? kMaxFragment + 1 - inner : 0);
  return inner + padding + 16;
}

scenarios::RecordLabOptions runOptions(const CheckEnv& env, const Values& values) {
  scenarios::RecordLabOptions options;
  options.certsDir = env.certsDir;
  options.writeSize = values.size;
  options.readBuffer = values.buffer;
  return options;
}

namespace {

std::string materials(const MaterialsEnv& env) {
  const Values values = valuesOf(*env.variant);
  scenarios::RecordLabOptions options;
  options.certsDir = env.certsDir;
  options.writeSize = values.size;
  options.readBuffer = values.buffer;
  options.liveCapture = true;
  env.say(fmt::format("writing {} bytes in one SSL_write to the echo server and capturing it", values.size));
  scenarios::RecordLabRun run = scenarios::runRecordLab(options);
  if (!run.setupError.empty()) return run.setupError;
  if (!run.ok()) return "the run did not complete: " + run.client.error;
  env.say(std::string(kCapture) + ": " + run.captureMethod);
  return writeMaterial(env.workspace, kCapture, run.pcapng);
}

LabDefinition define() {
  LabDefinition lab;
  lab.number = 10;
  lab.slug = "record-layer";
  lab.title = "The record layer";
  lab.goal = "Follow one large write through the record layer: records of at most 2^14 bytes, their sequence "
             "numbers, MAC and padding, the TCP segments that carry them, and why SSL_read returns less than asked.";
  lab.minutes = 75;
  lab.tutorial = "10-record-layer.md";
  auto prompt = [](const char* text) {
    return [text](const Variant& v) {
      const Values values = valuesOf(v);
      return fmt::format(fmt::runtime(text), fmt::arg("size", values.size), fmt::arg("buffer", values.buffer),
                         fmt::arg("pad", values.pad));
    };
  };
  lab.questions = {
      {"records_written", "How many application-data records carry your client's one SSL_write (TLS 1.3)?", "a number",
       [](const Variant& v) { return std::to_string(recordSizes(valuesOf(v)).size()); },
       prompt("Your client writes {size} bytes with one SSL_write over TLS 1.3. How many application-data records "
              "carry them?")},
      {"last_record_length", "What is the length field of the last of those records?", "a number of bytes",
       [](const Variant& v) { return std::to_string(tls13Length(recordSizes(valuesOf(v)).back())); }},
      {"read_returns", "What does each of the server's SSL_read calls return?", "the numbers in order, e.g. 100 100 36",
       [](const Variant& v) { return joined(readReturns(valuesOf(v))); },
       prompt("The server's reader calls SSL_read with a {buffer}-byte buffer until it has all {size} bytes. What "
              "does each call return, in order?")},
      {"echo_sequence", "What sequence number does the server's record that echoes its last SSL_read carry?",
       "a number", [](const Variant& v) { return std::to_string(readReturns(valuesOf(v)).size() + 1); },
       prompt("The server writes back what each SSL_read returned with its own SSL_write. What sequence number does "
              "the record that echoes its last read carry (TLS 1.3, counted from 0)?")},
      {"record_frames", "In records.pcapng, which frames carry bytes of the client's first application-data record?",
       "frame numbers, e.g. 12 13",
       [](const Variant&) { return std::string("(read off the student's records.pcapng: `tlslab lab run records` lists "
                                               "each record's frames)"); }},
      {"cbc_record_length", "With CBC and MAC-then-encrypt, what is the length field of the last record of your write?",
       "a number of bytes",
       [](const Variant& v) { return std::to_string(cbcMacThenEncryptLength(recordSizes(valuesOf(v)).back())); },
       prompt("With --tls 1.2 --ciphers AES128-SHA --mac-then-encrypt (CBC, MAC then encrypt), what is the length "
              "field of the last record of your {size}-byte write?")},
      {"padded_record_length", "With TLS 1.3 record padding, what is the length field of the last record of your write?",
       "a number of bytes",
       [](const Variant& v) {
         const Values values = valuesOf(v);
         return std::to_string(paddedLength(recordSizes(values).back(), values.pad));
       },
       prompt("With --pad {pad} (TLS 1.3 pads each record's inner plaintext to a multiple of {pad} bytes, RFC 8446 "
              "§5.4), what is the length field of the last record of your {size}-byte write?")},
  };
  lab.hints = {
      "`tlslab lab run records` with your --size and --buffer from README.md prints the records of the write, the "
      "server's SSL_read return values and every record with its sequence number.",
      "A record carries at most 2^14 = 16384 bytes of data (RFC 8446 §5.1). A TLS 1.3 record's length is its data + "
      "1 byte of inner content type + padding + the 16-byte AEAD tag (§5.2).",
      "SSL_read returns bytes of one record at a time: when the buffer is smaller than the record, the rest waits "
      "for the next call; when the record is used up, the call returns even if the buffer has room.",
      "Sequence numbers count each side's records under each key from 0, tickets and alerts included; the server "
      "sends two NewSessionTickets after the handshake.",
      "CBC with MAC-then-encrypt (RFC 5246 §6.2.3.2): 16-byte IV + encrypted(data + 20-byte HMAC-SHA1 + padding "
      "that fills the last 16-byte block, its length byte included).",
  };
  lab.personal = [](const Variant& v) {
    const Values values = valuesOf(v);
    return std::vector<std::string>{
        fmt::format("Your write: `{}` — your client writes {} bytes with one SSL_write and the server reads with a "
                    "{}-byte buffer. `records.pcapng` is a capture of that run, keys included.",
                    values.flags(), values.size, values.buffer),
        fmt::format("Your padding block (last question): `--pad {}`", values.pad)};
  };
  lab.materials = materials;
  lab.checks = {
      {"records_written", "how many records one write became", "records_written", false, checkRecordsWritten},
      {"last_record_length", "the length of the write's last record", "last_record_length", false, checkLastRecordLength},
      {"read_returns", "what each SSL_read returned", "read_returns", false, checkReadReturns},
      {"echo_sequence", "the sequence number of the last echo record", "echo_sequence", false, checkEchoSequence},
      {"record_frames", "the TCP segments that carry one record", "record_frames", false, checkRecordFrames},
      {"cbc_record_length", "a CBC MAC-then-encrypt record's length", "cbc_record_length", false, checkCbcLength},
      {"padded_record_length", "a padded TLS 1.3 record's length", "padded_record_length", false, checkPaddedLength},
  };
  return lab;
}

}  // namespace
}  // namespace lab10

const LabDefinition& lab10RecordLayer() {
  static const LabDefinition lab = lab10::define();
  return lab;
}

}  // namespace tlslab::course
