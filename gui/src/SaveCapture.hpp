#pragma once
// File → Save as pcapng with Keys for an opened capture: its packets copied
// into a new pcapng whose Decryption Secrets Block holds the key log it was
// opened with (and any it already carried), so it opens decrypted anywhere.
// Blocking: call it on a worker thread.
#include <string>

namespace tlslab::gui {

// "" on success, else what went wrong.
std::string saveCaptureWithKeys(const std::string& capture, const std::string& keyLog, const std::string& target);

}  // namespace tlslab::gui
