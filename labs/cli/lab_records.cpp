// `tlslab lab run records`: one SSL_write of --size bytes, an SSL_read
// buffer of --buffer bytes, and what the record layer made of them.
#include <fmt/core.h>

#include <fstream>
#include <iostream>

#include "cli/LabArgs.hpp"
#include "cli/RecordTables.hpp"
#include "cli/RunPrinter.hpp"
#include "tlslab/scenarios/RecordLab.hpp"
#include "tlslab/util/Paths.hpp"

namespace tlslab::cli {

using namespace tlslab::scenarios;

namespace {

std::string joined(const std::vector<std::size_t>& values) {
  std::string out;
  for (std::size_t v : values) out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

std::string framesText(const std::vector<std::uint64_t>& frames) {
  std::string out;
  for (auto f : frames) out += (out.empty() ? "" : " ") + std::to_string(f);
  return out.empty() ? "-" : out;
}

// "16401 = 16384 + 1 (inner type) + 16 (tag)": the length field taken apart.
std::string lengthParts(const RecordRow& r) {
  std::string parts = std::to_string(r.length) + " =";
  std::string sep = " ";
  auto add = [&](std::size_t n, const char* what) {
    if (n == 0) return;
    parts += fmt::format("{}{} ({})", sep, n, what);
    sep = " + ";
  };
  if (r.construction == "MAC-then-encrypt") {
    add(r.explicitIv, "IV");
    add(r.plaintext, "data");
    add(r.mac, "MAC");
    add(r.padding, "padding");
  } else if (r.construction == "encrypt-then-MAC") {
    add(r.explicitIv, "IV");
    add(r.plaintext, "data");
    add(r.padding, "padding");
    add(r.mac, "MAC");
  } else {
    add(r.explicitIv, "explicit nonce");
    add(r.plaintext, "data");
    if (r.innerType != 0) add(1, "inner type");
    add(r.padding, "zero padding");
    add(r.tag, "tag");
  }
  return r.construction.empty() ? std::to_string(r.length) : parts;
}

void printWrite(std::ostream& out, const RecordLabRun& run, const RecordLayout& layout) {
  auto records = clientDataRecords(layout);
  const bool tls13 = layout.connection.negotiated.version == 0x0304;
  out << "\n1. One SSL_write, " << records.size() << (records.size() == 1 ? " record" : " records") << " ("
      << (tls13 ? "RFC 8446 §5.1" : "RFC 5246 §6.2.1") << ": at most 2^14 = 16384 bytes of data per record)\n";
  out << "  the client's application wrote " << joined(run.clientWrites) << " bytes in one SSL_write; on the wire:\n";
  for (const RecordRow* r : records)
    out << fmt::format("    record {:<3} seq {:<3} {:>6} bytes of data, length field {}\n", r->index,
                       r->sequence ? std::to_string(*r->sequence) : "?", r->plaintext, lengthParts(*r));
}

void printReads(std::ostream& out, const RecordLabRun& run, const RecordLayout& layout, std::size_t buffer) {
  out << "\n2. SSL_read returns what one record holds, at most (the buffering section)\n";
  out << "  the server's SSL_read(buf, " << buffer << ") returned, call by call: " << joined(run.serverReads) << "\n";
  out << "  each call hands out bytes of one decrypted record only; the rest of that record waits in OpenSSL's\n"
      << "  buffer (SSL_pending) for the next call, which does not read the socket until the record is used up.\n";
  auto echoes = serverDataRecords(layout);
  std::vector<std::size_t> sizes;
  for (const RecordRow* r : echoes) sizes.push_back(r->plaintext);
  out << "  the echo wrote back each read with its own SSL_write: records of " << joined(sizes) << " bytes\n";
}

void printSegments(std::ostream& out, const RecordLabRun& run, const RecordLayout& layout) {
  out << "\n3. Records and TCP segments (" << run.captureMethod << ")\n";
  printSegmentTable(out, layout);
  for (const RecordRow* r : clientDataRecords(layout))
    out << "  record " << r->index << " (" << r->length + 5 << " bytes with its header) is carried by frame"
        << (r->frames.size() == 1 ? " " : "s ") << framesText(r->frames) << "\n";
  out << "  TCP carries a byte stream: it knows nothing of records. A segment may hold several records, a record\n"
      << "  may take several segments; only the receiver's TLS layer, reading 5-byte headers, finds the boundaries.\n";
}

void printRecords(std::ostream& out, const RecordLayout& layout) {
  out << "\n4. Every record of the connection\n";
  printRecordTable(out, layout);
  out << "  The sequence number is never sent: each side counts its records from 0 under each key (RFC 8446\n"
      << "  §5.3; in TLS 1.2 from the ChangeCipherSpec, RFC 5246 §6.1) and mixes it into the nonce or the MAC.\n";
}

}  // namespace

int runRecordsLab(const LabArgs& args) {
  RunPrinter printer(std::cout, args.fullLog ? LogStyle::Full : LogStyle::Ladder, RunLanes::pair(true));
  RecordLabOptions options;
  options.certsDir = certsDir();
  options.writeSize = args.size;
  options.readBuffer = args.buffer;
  options.tls = args.tls.empty() ? "1.3" : args.tls;
  options.ciphers = args.ciphers;
  options.macThenEncrypt = args.macThenEncrypt;
  options.padding = args.pad;
  options.liveCapture = args.capture;
  if (!args.quiet) options.observer = printer.observer();
  if (auto err = checkRecordLabOptions(options); !err.empty()) {
    std::cerr << "tlslab lab run records: " << err << "\n";
    return 2;
  }
  std::cout << "The record-layer lab (tutorials/10-record-layer.md)\n\n"
            << "The client writes " << options.writeSize << " bytes with one SSL_write; the server reads with SSL_read(buf, "
            << options.readBuffer << ") and writes back what each call returned.\n\n";
  RecordLabRun run = runRecordLab(options);
  if (!run.setupError.empty()) {
    std::cerr << "tlslab lab: " << run.setupError << "\n";
    return 1;
  }
  if (!run.ok()) {
    std::cout << "\nthe run failed: " << run.client.error << "\n";
    return 1;
  }
  const RecordLayout layout = recordLayout(asBytes(run.pcapng));
  if (!layout.error.empty()) {
    std::cout << "\nthe capture could not be read back: " << layout.error << "\n";
    return 1;
  }
  std::cout << (args.quiet ? "" : "\n") << "negotiated: " << run.client.negotiated.version << " " << run.client.negotiated.cipher << "\n";
  printWrite(std::cout, run, layout);
  printReads(std::cout, run, layout, options.readBuffer);
  printSegments(std::cout, run, layout);
  printRecords(std::cout, layout);
  if (!args.save.empty()) {
    std::ofstream file(args.save, std::ios::binary);
    file << run.pcapng;
    if (!file) {
      std::cout << "cannot write " << args.save << "\n";
      return 1;
    }
    std::cout << "\nsaved the capture with its keys: " << args.save << "  (tlslab dissect " << args.save << ")\n";
  }
  return 0;
}

}  // namespace tlslab::cli
