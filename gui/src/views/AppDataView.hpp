#pragma once
// The decrypted application data of one connection, as a conversation (like
// Wireshark's Follow TLS Stream, laid out as a chat): consecutive chunks of
// one direction form one bubble, client on the left tinted red, server on
// the right tinted blue, each headed by who sent it and from which records.
//
//   setConnection(connection)          its appData and client/server labels, with
//                                      any cleartext before STARTTLS first
//   setChunks(chunks, client, server)  the same from bare chunks
//   setMode(Auto | Text | Hex | Decoded)  Auto: text when printable, else hex dump,
//                                      and the decoded protocol for HTTP/2 (binary
//                                      frames read better decoded); Decoded: the
//                                      application protocol as core/app decodes
//                                      it (HTTP/1.1, HTTP/2, SMTP/IMAP/POP3 lines),
//                                      the same text as `tlslab follow --app`
//   setDirectionFilter(...)            both, or one side only
//   plainText()                        what is shown, as plain text
//   recordSelected(record)             emitted when a bubble is clicked: the
//                                      first record that carried it
#include <QWidget>
#include <optional>
#include <vector>

#include "tlslab/app/Conversation.hpp"
#include "tlslab/model/Trace.hpp"

class QComboBox;
class QLabel;
class QTextEdit;

namespace tlslab::gui::views {

class AppDataView : public QWidget {
  Q_OBJECT
 public:
  enum class Mode { Auto, Text, Hex, Decoded };
  enum class DirectionFilter { Both, ClientToServer, ServerToClient };

  explicit AppDataView(QWidget* parent = nullptr);

  void setConnection(const model::TraceConnection& connection);
  void setChunks(std::vector<model::AppDataChunk> chunks, const QString& clientLabel = QStringLiteral("client"),
                 const QString& serverLabel = QStringLiteral("server"));
  // Cleartext each side sent before TLS started (STARTTLS), per Direction;
  // shown first, marked as readable by anyone. Call after setChunks.
  void setPreamble(const Bytes& fromClient, const Bytes& fromServer, const QString& protocol);
  void clear() { setChunks({}); }

  void setMode(Mode mode);
  Mode mode() const { return mode_; }
  void setDirectionFilter(DirectionFilter filter);
  DirectionFilter directionFilter() const { return filter_; }

  QString plainText() const;
  // The protocol core/app recognised in the chunks (None when it did not).
  app::Protocol protocol();
  int bubbleCount() const { return static_cast<int>(bubbles_.size()); }
  QTextEdit* textView() const { return text_; }
  // Bubbles of at most this many bytes are shown whole; longer ones are cut
  // (the export keeps every byte) so a large download cannot freeze the view.
  static constexpr std::size_t kMaxShownBytes = 64 * 1024;

 signals:
  void recordSelected(std::size_t record);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  struct Bubble {
    model::Direction direction;
    std::size_t firstRecord = 0, lastRecord = 0;
    std::size_t streamOffset = 0;  // of the first byte in its direction's stream
    Bytes data;
    QString cleartext;  // non-empty: sent before TLS ("SMTP before STARTTLS"), not from a record
  };
  void render();
  void renderDecoded();
  const app::Conversation& conversation();

  std::vector<model::AppDataChunk> chunks_;
  std::string alpn_, startTls_;  // from setConnection: how core/app picks the protocol
  std::pair<std::string, std::string> loading_;  // setConnection's ALPN and STARTTLS, for setChunks
  std::optional<app::Conversation> conversation_;  // decoded on first use
  std::vector<Bubble> bubbles_;
  struct Span {
    int begin = 0, end = 0;  // document positions of a shown bubble
    std::size_t record = 0;
  };
  std::vector<Span> spans_;
  QString clientLabel_, serverLabel_;
  Mode mode_ = Mode::Auto;
  DirectionFilter filter_ = DirectionFilter::Both;
  QComboBox* modeBox_;
  QComboBox* directionBox_;
  QLabel* summary_;
  QTextEdit* text_;
};

}  // namespace tlslab::gui::views
