#pragma once
// Internal to the sample captures: one lab run per capture (CaptureRuns.cpp).
#include <filesystem>
#include <string>

#include "tlslab/scenarios/Captures.hpp"

namespace tlslab::scenarios::captures {

std::string tls13Basic(const std::filesystem::path& certs, std::string& error);
std::string helloRetry(const std::filesystem::path& certs, std::string& error);
std::string zeroRtt(const std::filesystem::path& certs, std::string& error);
std::string keyUpdate(const std::filesystem::path& certs, std::string& error);
std::string clientCertificate(const std::filesystem::path& certs, std::string& error);
std::string tls12Ecdhe(const std::filesystem::path& certs, std::string& error);
std::string cbcMacThenEncrypt(const std::filesystem::path& certs, std::string& error);
std::string cbcEncryptThenMac(const std::filesystem::path& certs, std::string& error);
std::string rsaKeyExchange(const std::filesystem::path& certs, std::string& error);
std::string resumeById(const std::filesystem::path& certs, std::string& error);
std::string resumeByTicket(const std::filesystem::path& certs, std::string& error);
std::string renegotiation(const std::filesystem::path& certs, std::string& error);
std::string mitmBothLegs(const std::filesystem::path& certs, std::string& error);
std::string failedVerification(const std::filesystem::path& certs, std::string& error);
std::string tamper(const std::filesystem::path& certs, std::string& error);
std::string starttlsSmtp(const std::filesystem::path& certs, std::string& error);
std::string starttlsImap(const std::filesystem::path& certs, std::string& error);
std::string starttlsPop3(const std::filesystem::path& certs, std::string& error);
std::string plainLogin(const std::filesystem::path& certs, std::string& error);

}  // namespace tlslab::scenarios::captures
