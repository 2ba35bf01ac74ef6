// Headless Chromium as lab 3's victim: a fresh HOME whose NSS database
// ($HOME/.pki/nssdb, where Chromium on Linux looks) trusts only the lab root,
// a fresh profile, a local page whose login form posts itself to the bank,
// and the page Chromium ended on (--dump-dom) read for its net error.
#include <nlohmann/json.hpp>

#include "RealClientsCommands.hpp"

namespace tlslab::course::realclients {

namespace fs = std::filesystem;

namespace {

fs::path nssDir(const LoginTarget& t) { return browserHome(t) / ".pki" / "nssdb"; }

// The JSON string value of `"key":"…"` in the page's loadTimeData, decoded.
std::string jsonValue(std::string_view dom, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":\"";
  auto start = dom.find(needle);
  if (start == std::string_view::npos) return {};
  start += needle.size() - 1;  // at the opening quote
  std::size_t end = start + 1;
  while (end < dom.size() && dom[end] != '"') end += dom[end] == '\\' ? 2 : 1;
  if (end >= dom.size()) return {};
  try {
    return nlohmann::json::parse(dom.substr(start, end - start + 1)).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return {};
  }
}

// "net::ERR_CERT_COMMON_NAME_INVALID" -> "ERR_CERT_COMMON_NAME_INVALID".
std::string netError(std::string_view text) {
  auto pos = text.find("ERR_");
  if (pos == std::string_view::npos) return {};
  auto end = pos;
  while (end < text.size() && (std::isupper(static_cast<unsigned char>(text[end])) || text[end] == '_' ||
                               std::isdigit(static_cast<unsigned char>(text[end]))))
    ++end;
  return std::string(text.substr(pos, end - pos));
}

// The text of the element with id="error-code" (the line under the headline).
std::string errorCodeElement(std::string_view dom) {
  auto id = dom.find("id=\"error-code\"");
  if (id == std::string_view::npos) return {};
  auto open = dom.find('>', id);
  auto close = dom.find('<', open == std::string_view::npos ? id : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return std::string(dom.substr(open + 1, close - open - 1));
}

}  // namespace

fs::path browserHome(const LoginTarget& target) { return target.workDir / "chromium-home"; }

std::string loginPageHtml(const LoginTarget& target) {
  // The values are checked to need no escaping (loginPasswordProblem); one
  // line without quotes of its own, so `echo '…'` writes it.
  return "<form method=\"POST\" action=\"https://" + std::string(kHost) + ":" + std::to_string(target.port) +
         "/login\"><input name=\"user\" value=\"" + target.user + "\"><input name=\"password\" type=\"password\" value=\"" +
         target.password + "\"></form><script>document.forms[0].submit()</script>";
}

std::optional<Invocation> browserInvocation(const LoginTarget& target) {
  std::vector<std::string> argv{target.program("chromium"),
                                "--headless",
                                "--no-sandbox",  // tlslab runs as root; Chromium's sandbox refuses root
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + (target.workDir / "chromium-profile").string(),
                                "--window-size=1024,768",
                                // Virtual time: wait for the form's navigation to end before the dump and the picture.
                                "--virtual-time-budget=3000",
                                "--dump-dom"};
  if (!target.screenshot.empty()) argv.push_back("--screenshot=" + target.screenshot.string());
  std::string rule = "MAP " + std::string(kHost) + " " + target.proxyAddress;
  if (target.clientResolves) argv.push_back("--host-resolver-rules=" + rule);
  argv.push_back("file://" + (target.workDir / "login.html").string());

  std::vector<std::string> shown = argv;
  shown[0] = displayedProgram(argv[0]);
  Invocation inv;
  inv.shown = "HOME=" + shellQuote(browserHome(target).string()) + " " + shellLine(shown);
  const std::string db = "sql:" + nssDir(target).string();
  const std::string certutil = displayedProgram(target.program("certutil"));
  inv.setup = {
      "mkdir -p " + shellQuote(nssDir(target).string()),
      shellLine({certutil, "-N", "-d", db, "--empty-password"}),
      shellLine({certutil, "-A", "-d", db, "-n", "tlslab Root CA", "-t", "C,,", "-i", target.rootCa.string()}),
      "echo " + shellQuote(loginPageHtml(target)) + " > " + shellQuote((target.workDir / "login.html").string()),
  };
  inv.timeout = std::chrono::milliseconds(30000);
  inv.outputLimit = 2 * 1024 * 1024;  // the error page's DOM is ~150 KB
  if (target.clientResolves) inv.resolution = "chromium --host-resolver-rules=\"" + rule + "\"";
  return inv;
}

BrowserPage readBrowserPage(std::string_view dom) {
  BrowserPage page;
  page.errorCode = netError(errorCodeElement(dom));
  if (page.errorCode.empty()) page.errorCode = netError(jsonValue(dom, "errorCode"));
  if (!page.errorCode.empty()) page.explanation = bounded(stripTags(jsonValue(dom, "explanationParagraph")));
  page.bankLine = bankLine(dom);
  return page;
}

}  // namespace tlslab::course::realclients
