#pragma once
// The selection hub every view links through: it owns the Trace being shown
// and what is selected in it (a connection, a record, a message). Views call
// the select* slots and follow the signals; a setter emits only when the
// selection really changes, so two views selecting each other cannot loop.
#include <QObject>

#include <memory>

#include "TraceMarks.hpp"
#include "tlslab/model/Trace.hpp"

namespace tlslab::gui {

class TraceDocument : public QObject {
  Q_OBJECT
 public:
  explicit TraceDocument(QObject* parent = nullptr);

  const model::Trace& trace() const { return *trace_; }
  std::shared_ptr<const model::Trace> sharedTrace() const { return trace_; }
  bool isEmpty() const { return trace_->connections.empty(); }

  // -1 when nothing is selected at that level.
  int connection() const { return connection_; }
  int record() const { return record_; }
  int message() const { return message_; }

  const model::TraceConnection* currentConnection() const;
  const model::TraceRecord* currentRecord() const;
  const model::TraceMessage* currentMessage() const;
  const TraceMarks& marks() const { return marks_; }

 public slots:
  // Replaces the trace; selects the first connection (if any).
  void setTrace(std::shared_ptr<const model::Trace> trace);
  void setTrace(model::Trace trace) { setTrace(std::make_shared<const model::Trace>(std::move(trace))); }
  void clear() { setTrace(model::Trace{}); }

  void selectConnection(int connection);
  // A record selects its first message too, so the detail views have a message.
  void selectRecord(int connection, int record);
  // A message selects the record it starts in.
  void selectMessage(int connection, int message);
  // Marks a key-schedule step's messages and records (out-of-range indices
  // are dropped); a new trace or another connection clears the marks.
  void markStep(int connection, const model::DerivationStep& step);
  void setMarks(TraceMarks marks);
  void clearMarks() { setMarks({}); }

 signals:
  void traceChanged();
  // Any change of connection, record or message.
  void selectionChanged();
  void connectionSelected(int connection);
  void recordSelected(int connection, int record);
  void messageSelected(int connection, int message);
  void marksChanged();

 private:
  void apply(int connection, int record, int message);

  std::shared_ptr<const model::Trace> trace_;
  int connection_ = -1;
  int record_ = -1;
  int message_ = -1;
  TraceMarks marks_;
};

}  // namespace tlslab::gui
