// libFuzzer target for pki::describeCertificate, the X.509 describer the
// dissector calls for every certificate in a Certificate message: any bytes
// must give a field tree (malformed or not) whose ranges stay inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tlslab/pki/CertificateInfo.hpp"

namespace {

void checkRanges(const tlslab::model::Field& field, std::size_t base, std::size_t size) {
  if (field.length > 0 && (field.offset < base || field.offset - base + field.length > size)) std::abort();
  for (const auto& child : field.children) checkRanges(child, base, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kBase = 7;  // a non-zero base catches offsets not shifted by it
  tlslab::model::Field field = tlslab::pki::describeCertificate({data, size}, kBase);
  checkRanges(field, kBase, size);
  return 0;
}
