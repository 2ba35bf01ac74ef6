// tlslab-gui [CAPTURE] [--keylog F] [--rsa-key F] [--psk HEX [--psk-identity NAME]] [--lab NAME --strategy S --victim V --tls V --entry E --attack A]
//            [--course [N]] [--screenshot out.png [--tab NAME] [--key-step NODE]]
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "KeyDerivationPane.hpp"
#include "MainWindow.hpp"
#include "TraceDocument.hpp"
#include "tlslab/scenarios/course/Lab.hpp"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("tlslab");
  QApplication::setOrganizationName("tlslab");
  QApplication::setApplicationVersion("0.1.0");

  QCommandLineParser parser;
  parser.setApplicationDescription("tlslab: learn TLS by watching it happen");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument("capture", "A pcap or pcapng file to open");
  QCommandLineOption keylog("keylog", "NSS key log for the capture", "file");
  QCommandLineOption rsaKey("rsa-key", "The server's RSA key (TLS 1.2 RSA key exchange)", "file");
  QCommandLineOption psk("psk", "A pre-shared key in hex (PSK suites)", "hex");
  QCommandLineOption pskIdentity("psk-identity", "The PSK identity --psk is for (default: any)", "name");
  QCommandLineOption lab("lab", "Run a lab at start: handshake, resumption, starttls, gallery, mitm, tamper, quic", "name");
  QCommandLineOption strategy("strategy", "mitm: attacker certificate (attacker-own, self-signed, rogue-ca, forged, leaf-signed-leaf)", "s");
  QCommandLineOption victim("victim", "mitm: victim client (none, chain-only, ignore-errors, correct, correct+rogue, pinned)", "v");
  QCommandLineOption tls("tls", "handshake/resumption/tamper: 1.2 or 1.3", "version");
  QCommandLineOption attack("attack", "tamper: flip-byte, drop, duplicate or truncate", "a");
  QCommandLineOption entry("entry", "gallery: the certificate entry (default: expired)", "name");
  QCommandLineOption screenshot("screenshot", "Save the window as PNG once loaded, then exit", "png");
  QCommandLineOption tab("tab", "Detail tab to show once loaded (e.g. \"Key derivation\")", "name");
  QCommandLineOption keyStep("key-step", "Select this node of the key schedule picture once loaded (e.g. "
                             "server_handshake_traffic_secret)", "node");
  QCommandLineOption course("course", "Open the Course panel, on lab N when a number follows (--course 1)");
  parser.addOptions({keylog, rsaKey, psk, pskIdentity, lab, strategy, victim, tls, entry, attack, screenshot, tab, keyStep, course});
  parser.process(app);

  // "--course N": the option takes no value, so N arrives as the first positional argument.
  QStringList positional = parser.positionalArguments();
  int courseLab = 0;
  if (parser.isSet(course) && !positional.isEmpty()) {
    bool number = false;
    const int n = positional.first().toInt(&number);
    if (number) {
      courseLab = n;
      positional.removeFirst();
    }
  }

  if (courseLab != 0 && tlslab::course::findLab(courseLab) == nullptr) {
    std::fprintf(stderr, "tlslab-gui: the course has no lab %d (`tlslab lab list` shows them)\n", courseLab);
    return 2;
  }

  tlslab::gui::MainWindow window;
  window.show();
  if (parser.isSet(course)) window.showCourse(courseLab);

  const QString shot = parser.value(screenshot);
  if (!shot.isEmpty()) {
    // Let the views settle after loading, then grab the window and leave.
    QObject::connect(&window, &tlslab::gui::MainWindow::loadFinished, &app,
                     [&window, shot, name = parser.value(tab), node = parser.value(keyStep)](bool ok) {
      if (!name.isEmpty()) window.showDetailTab(name);
      if (!node.isEmpty() && !window.keyDerivationPane()->selectNode(node))
        std::fprintf(stderr, "tlslab-gui: the key schedule has no step at %s\n", qPrintable(node));
      QTimer::singleShot(400, &window, [&window, shot, ok] {
        const bool saved = window.grab().save(shot);
        if (!saved) std::fprintf(stderr, "tlslab-gui: cannot write %s\n", qPrintable(shot));
        QApplication::exit(ok && saved ? 0 : 1);
      });
    });
    QTimer::singleShot(120000, &app, [] {
      std::fprintf(stderr, "tlslab-gui: nothing loaded within two minutes\n");
      QApplication::exit(1);
    });
  }

  if (parser.isSet(lab)) {
    tlslab::gui::LabRequest request;
    QString error;
    const tlslab::gui::LabOptionText options{parser.value(strategy), parser.value(victim), parser.value(tls),
                                             parser.value(entry), parser.value(attack)};
    if (!tlslab::gui::parseLabRequest(parser.value(lab), options, request, error)) {
      std::fprintf(stderr, "tlslab-gui: %s\n", qPrintable(error));
      return 2;
    }
    window.runLab(request);
  } else if (!positional.isEmpty()) {
    tlslab::gui::OpenRequest request{positional.first(), parser.value(keylog), parser.value(rsaKey), {},
                                     parser.value(psk), parser.value(pskIdentity)};
    window.openCapture(request);
  } else if (!shot.isEmpty()) {
    QTimer::singleShot(300, &window, [&window] { emit window.loadFinished(true); });
  }
  return QApplication::exec();
}
