#include "Lab10Checks.hpp"

#include <algorithm>
#include <numeric>
#include <regex>

#include "CheckHelpers.hpp"
#include "MaterialFiles.hpp"

namespace tlslab::course::lab10 {

using scenarios::RecordLayout;
using scenarios::RecordRow;

namespace {

// One run of the lab and its records, as `tlslab lab run records` makes them.
struct Run {
  scenarios::RecordLabRun run;
  RecordLayout layout;
  std::string error;
  std::vector<const RecordRow*> write() const { return scenarios::clientDataRecords(layout); }
  std::vector<const RecordRow*> echo() const { return scenarios::serverDataRecords(layout); }
};

Run labRun(scenarios::RecordLabOptions options) {
  Run r;
  r.run = scenarios::runRecordLab(options);
  if (!r.run.setupError.empty()) r.error = r.run.setupError;
  else if (!r.run.ok()) r.error = "the run did not complete: " + r.run.client.error;
  else r.layout = scenarios::recordLayout(asBytes(r.run.pcapng));
  if (r.error.empty() && !r.layout.error.empty()) r.error = r.layout.error;
  if (r.error.empty() && r.write().empty()) r.error = "the run's capture shows no application data from the client";
  return r;
}

std::vector<long long> numbersIn(const std::string& text) {
  std::vector<long long> numbers;
  static const std::regex number("[0-9]+");
  for (std::sregex_iterator it(text.begin(), text.end(), number), end; it != end; ++it)
    numbers.push_back(std::stoll(it->str()));
  return numbers;
}

template <class T>
std::vector<long long> asNumbers(const std::vector<T>& values) {
  return std::vector<long long>(values.begin(), values.end());
}

std::string joined(const std::vector<long long>& values) {
  std::string out;
  for (long long v : values) out += (out.empty() ? "" : " ") + std::to_string(v);
  return out;
}

CheckResult notRun(const Run& r) { return skipped("the record lab could not run here: " + r.error); }

std::string runCommand(const Values& v, const std::string& more = "") {
  return "`tlslab lab run records " + v.flags() + more + "`";
}

}  // namespace

CheckResult checkRecordsWritten(const CheckEnv& env) {
  const Values v = valuesOf(*env.variant);
  auto n = answerNumber(env.answer("records_written")->value);
  if (!n) return fail("that is not a number of records", "write how many, e.g. 3");
  Run r = labRun(runOptions(env, v));
  if (!r.error.empty()) return notRun(r);
  const long long right = static_cast<long long>(r.write().size());
  if (*n == right)
    return pass(fmt::format("{}: OpenSSL cut the {}-byte write into records of at most 2^14 = 16384 bytes of data", right,
                            v.size));
  if (*n == static_cast<long long>(r.run.serverReads.size()))
    return fail("that is how many SSL_read calls the server made; the records were cut by the writer",
                "a record carries at most 2^14 = 16384 bytes of data (RFC 8446 §5.1), whatever the reader's buffer");
  if (*n == 1)
    return fail("one SSL_write is not one record: a record carries at most 2^14 = 16384 bytes of data (RFC 8446 §5.1)",
                "divide your size by 16384, rounding up");
  if (*n == static_cast<long long>(v.size / kMaxFragment))
    return fail("almost: the last record carries what is left after the full ones", "round up, not down");
  return fail(fmt::format("your write did not become {} records", *n), runCommand(v) + ": part 1 lists them");
}

CheckResult checkLastRecordLength(const CheckEnv& env) {
  const Values v = valuesOf(*env.variant);
  auto n = answerNumber(env.answer("last_record_length")->value);
  if (!n) return fail("that is not a number of bytes", "write the length field, e.g. 1234");
  Run r = labRun(runOptions(env, v));
  if (!r.error.empty()) return notRun(r);
  const RecordRow& last = *r.write().back();
  const long long right = static_cast<long long>(last.length), data = static_cast<long long>(last.plaintext);
  if (*n == right) return pass(fmt::format("{} = {} bytes of data + 1 (inner content type) + 16 (AEAD tag)", right, data));
  if (*n == data)
    return fail("that is the record's data alone", "a TLS 1.3 record also carries 1 byte of inner content type and a "
                                                   "16-byte AEAD tag (RFC 8446 §5.2)");
  if (*n == right + 5) return fail("you counted the 5-byte record header", "the length field counts the bytes after the header");
  if (*n == data + 16 || *n == data + 1)
    return fail("almost: one part of the record is missing from your count", "data + 1 byte of inner content type + 16 of tag");
  if (*n == static_cast<long long>(r.write().front()->length) && r.write().size() > 1)
    return fail("that is the first record, full to 16384 bytes of data; the last carries the rest",
                "subtract the full records' data from your size");
  return fail(fmt::format("the last record of your write is not {} bytes long", *n), runCommand(v) + ": part 1");
}

CheckResult checkReadReturns(const CheckEnv& env) {
  const Values v = valuesOf(*env.variant);
  const std::vector<long long> said = numbersIn(env.answer("read_returns")->value);
  if (said.empty()) return fail("write the return values, in order", "e.g. `read_returns: 100 100 36`");
  Run r = labRun(runOptions(env, v));
  if (!r.error.empty()) return notRun(r);
  const std::vector<long long> right = asNumbers(r.run.serverReads);
  if (said == right)
    return pass(fmt::format("{}: each SSL_read returns bytes of one record only, so a call returns less than the "
                            "{}-byte buffer whenever a record runs out",
                            joined(right), v.buffer));
  std::vector<long long> stream;  // what a plain TCP read loop would get if every byte were there
  for (std::size_t left = v.size; left > 0; left -= std::min(left, v.buffer)) stream.push_back(static_cast<long long>(std::min(left, v.buffer)));
  if (said == stream)
    return fail("that is a byte stream cut into " + std::to_string(v.buffer) + "-byte pieces; SSL_read never joins the "
                "end of one record to the start of the next",
                "the buffering section: a call returns what is left of the current record, at most the buffer");
  std::vector<long long> records;
  for (const RecordRow* row : r.write()) records.push_back(static_cast<long long>(row->plaintext));
  if (said == records)
    return fail("those are the records; the reader's buffer holds only " + std::to_string(v.buffer) + " bytes",
                "each call returns at most the buffer's size");
  const long long sum = std::accumulate(said.begin(), said.end(), 0LL);
  if (sum != static_cast<long long>(v.size))
    return fail(fmt::format("your numbers add up to {}, but the server read all {} bytes", sum, v.size),
                "the reader calls SSL_read until it has every byte of the write");
  return fail("that is not what the server's SSL_read calls returned", runCommand(v) + ": part 2 lists them");
}

CheckResult checkEchoSequence(const CheckEnv& env) {
  const Values v = valuesOf(*env.variant);
  auto n = answerNumber(env.answer("echo_sequence")->value);
  if (!n) return fail("that is not a sequence number", "write a number, e.g. 7");
  Run r = labRun(runOptions(env, v));
  if (!r.error.empty()) return notRun(r);
  const auto echo = r.echo();
  if (echo.empty() || !echo.back()->sequence) return skipped("the run's echo records could not be opened");
  const long long right = static_cast<long long>(*echo.back()->sequence);
  const long long reads = static_cast<long long>(r.run.serverReads.size());
  if (*n == right)
    return pass(fmt::format("{}: the server's records under the application keys count from 0 — two NewSessionTickets, "
                            "then one echo record per SSL_read",
                            right));
  if (*n == reads - 1 || *n == reads)
    return fail("the NewSessionTicket records came first under the application keys: they count too",
                "every record a side sends under a key takes the next number, whatever it carries");
  if (*n == static_cast<long long>(r.write().size()) - 1)
    return fail("that is the client's count; each direction numbers its own records", "count the server's records");
  return fail(fmt::format("the last echo record does not carry sequence number {}", *n), runCommand(v) + ": part 4");
}

CheckResult checkRecordFrames(const CheckEnv& env) {
  const Values v = valuesOf(*env.variant);
  auto capture = readMaterial(env.workspace, kCapture);
  if (!capture) return fail(capture.error(), "the checker reads this answer off your own capture");
  const RecordLayout layout = scenarios::recordLayout(asBytes(capture.value()));
  const auto write = scenarios::clientDataRecords(layout);
  if (!layout.error.empty() || write.empty())
    return fail("records.pcapng cannot be read: " + (layout.error.empty() ? std::string("no client records") : layout.error),
                "make your workspace again with `tlslab lab start 10`");
  std::size_t written = 0;
  for (const RecordRow* row : write) written += row->plaintext;
  if (written != v.size)
    return fail(fmt::format("records.pcapng is not the capture made for you: its client wrote {} bytes, yours writes {}",
                            written, v.size),
                "answer from the capture in your own workspace");
  std::vector<long long> said = numbersIn(env.answer("record_frames")->value);
  std::sort(said.begin(), said.end());
  said.erase(std::unique(said.begin(), said.end()), said.end());
  const std::vector<long long> right = asNumbers(write.front()->frames);
  const std::string list = joined(right);
  if (said.empty()) return fail("write frame numbers", "e.g. `record_frames: 12 13`");
  if (said == right)
    return pass(fmt::format("frame{} {}: record {} ({} bytes with its header) in {} segment{}; TCP cut the stream "
                            "where it liked",
                            right.size() == 1 ? "" : "s", list, write.front()->index, write.front()->length + 5,
                            right.size(), right.size() == 1 ? "" : "s"));
  if (write.size() > 1 && said == asNumbers(write[1]->frames))
    return fail("those frames carry your write's second record", "the first one starts right after the client's Finished");
  for (long long f : said)
    if (std::find(right.begin(), right.end(), f) == right.end())
      return fail(fmt::format("frame {} carries no byte of that record", f),
                  "`tlslab lab run records` part 3 pairs frames and records; for your own capture, compare the "
                  "record's stream offset and length with each frame's");
  return fail("those frames carry part of it, but not all: the record is " + std::to_string(write.front()->length + 5) +
                  " bytes long with its header",
              "add the frames that carry the rest");
}

CheckResult checkCbcLength(const CheckEnv& env) {
  const Values v = valuesOf(*env.variant);
  auto n = answerNumber(env.answer("cbc_record_length")->value);
  if (!n) return fail("that is not a number of bytes", "write the length field, e.g. 1234");
  scenarios::RecordLabOptions options = runOptions(env, v);
  options.tls = "1.2";
  options.ciphers = "AES128-SHA";
  options.macThenEncrypt = true;
  Run r = labRun(options);
  if (!r.error.empty()) return notRun(r);
  const RecordRow& last = *r.write().back();
  const long long right = static_cast<long long>(last.length), data = static_cast<long long>(last.plaintext);
  if (*n == right)
    return pass(fmt::format("{} = 16 (IV) + {} (data) + 20 (HMAC-SHA1) + {} (padding, its length byte included), the "
                            "last three encrypted together",
                            right, data, last.padding));
  const long long etm = 16 + (data + 1 + 15) / 16 * 16 + 20;
  if (*n == etm)
    return fail("that is encrypt-then-MAC (RFC 7366): the MAC outside, over the ciphertext",
                "with MAC-then-encrypt the 20-byte MAC is encrypted with the data, and the padding fills up both");
  if (*n == right - 16) return fail("you left out the 16-byte explicit IV in front (RFC 5246 §6.2.3.2)", "IV + encrypted part");
  if (*n == data + 24 || *n == data + 17)
    return fail("that is an AEAD record's length (AES-GCM), not CBC's", "16 (IV) + data + 20 (MAC) + padding to a 16-byte block");
  if (*n == 16 + data + 20)
    return fail("almost: the padding is missing", "data + MAC + padding fill whole 16-byte blocks; the padding is 1 to 16 bytes");
  return fail(fmt::format("that record is not {} bytes long", *n), runCommand(v, " --tls 1.2 --ciphers AES128-SHA --mac-then-encrypt"));
}

CheckResult checkPaddedLength(const CheckEnv& env) {
  const Values v = valuesOf(*env.variant);
  auto n = answerNumber(env.answer("padded_record_length")->value);
  if (!n) return fail("that is not a number of bytes", "write the length field, e.g. 1234");
  scenarios::RecordLabOptions options = runOptions(env, v);
  options.padding = v.pad;
  Run r = labRun(options);
  if (!r.error.empty()) return notRun(r);
  const RecordRow& last = *r.write().back();
  const long long right = static_cast<long long>(last.length), data = static_cast<long long>(last.plaintext);
  const long long block = static_cast<long long>(v.pad);
  if (*n == right)
    return pass(fmt::format("{} = {} (data) + 1 (inner type) + {} (zeros) + 16 (tag): the inner plaintext is a multiple "
                            "of {}, so an eavesdropper learns the length only to within {} bytes",
                            right, data, last.padding, block, block));
  if (*n == data + 17)
    return fail("that is the record without padding",
                fmt::format("with --pad {} the inner plaintext (data + 1 type byte) is filled with zeros up to a "
                            "multiple of {} (RFC 8446 §5.4)",
                            block, block));
  if (*n == (data + block - 1) / block * block + 16)
    return fail("almost: the padding is counted over the data and the inner content type byte together",
                "round data + 1 up to a multiple of the block, then add the tag");
  if (*n == right - 16) return fail("you left out the 16-byte AEAD tag", "the tag comes after the encrypted inner plaintext");
  return fail(fmt::format("that record is not {} bytes long", *n), runCommand(v, fmt::format(" --pad {}", block)));
}

}  // namespace tlslab::course::lab10
