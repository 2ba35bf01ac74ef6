#pragma once
// How one protected record was opened (model::RecordCrypto, produced by
// crypto::RecordCipher): record header, nonce construction shown part by part
// (write_iv ⊕ padded sequence number for TLS 1.3 / ChaCha20; salt ‖ explicit
// nonce for TLS 1.2 GCM; the IV for CBC), additional data, ciphertext, tag,
// MAC (received and recomputed) and padding for CBC, and the plaintext, under
// a coloured verdict.
//
//   setCrypto(crypto, title)   one record's crypto detail
//   setRecord(record)          a Trace record: its crypto, or why there is none
//   value(name)                the ValueLabel of a row: "header", "noncePart<N>",
//                              "nonce", "aad", "ciphertext", "tag", "mac",
//                              "expectedMac", "padding", "contentType",
//                              "plaintext" (nullptr when the row is not shown)
//   verdictText()              e.g. "✓ decrypted"
#include <QWidget>

#include "tlslab/model/RecordCrypto.hpp"
#include "tlslab/model/Trace.hpp"

class QGridLayout;
class QLabel;
class QScrollArea;

namespace tlslab::gui::views {

class ValueLabel;

class RecordCryptoView : public QWidget {
  Q_OBJECT
 public:
  explicit RecordCryptoView(QWidget* parent = nullptr);

  void setCrypto(const model::RecordCrypto& crypto, const QString& title = {});
  void setRecord(const model::TraceRecord& record);
  void clear();

  ValueLabel* value(const QString& name) const;
  QString verdictText() const;
  QString nonceOperator() const { return nonceOperator_; }  // "⊕", "‖" or "" (one part)

 private:
  void reset(const QString& title);
  void addSection(const QString& heading);
  ValueLabel* addRow(const QString& name, const QString& label, ByteView bytes, const QString& hint = {});
  void addTextRow(const QString& label, const QString& text);
  void setVerdict(const QString& text, int tone, const QString& note);
  void insertHeaderLine(const QString& text);

  QLabel* title_;
  QLabel* verdict_;
  QLabel* note_;
  QScrollArea* scroll_;
  QWidget* body_ = nullptr;
  QGridLayout* grid_ = nullptr;
  int row_ = 0;
  QString nonceOperator_;
};

}  // namespace tlslab::gui::views
