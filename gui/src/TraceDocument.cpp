#include "TraceDocument.hpp"

#include <QThreadPool>

#include <utility>

namespace tlslab::gui {

TraceDocument::TraceDocument(QObject* parent)
    : QObject(parent), trace_(std::make_shared<const model::Trace>()) {}

const model::TraceConnection* TraceDocument::currentConnection() const {
  if (connection_ < 0 || connection_ >= static_cast<int>(trace_->connections.size())) return nullptr;
  return &trace_->connections[static_cast<std::size_t>(connection_)];
}

const model::TraceRecord* TraceDocument::currentRecord() const {
  const auto* c = currentConnection();
  if (c == nullptr || record_ < 0 || record_ >= static_cast<int>(c->records.size())) return nullptr;
  return &c->records[static_cast<std::size_t>(record_)];
}

const model::TraceMessage* TraceDocument::currentMessage() const {
  const auto* c = currentConnection();
  if (c == nullptr || message_ < 0 || message_ >= static_cast<int>(c->messages.size())) return nullptr;
  return &c->messages[static_cast<std::size_t>(message_)];
}

void TraceDocument::setTrace(std::shared_ptr<const model::Trace> trace) {
  std::shared_ptr<const model::Trace> previous = std::exchange(trace_, trace ? std::move(trace) : std::make_shared<const model::Trace>());
  // Reset without comparing: indices of the old trace mean nothing in the new one.
  connection_ = record_ = message_ = -1;
  const bool hadMarks = !marks_.empty() || marks_.connection >= 0;
  marks_ = {};
  emit traceChanged();
  if (hadMarks) emit marksChanged();
  if (!trace_->connections.empty()) {
    apply(0, -1, -1);
  } else {
    emit selectionChanged();
  }
  // Freeing a large trace (every record and field tree of a big capture)
  // takes a while: the views have moved to the new one, so a pool thread may.
  if (previous.use_count() == 1 && previous->connections.size() > 64)
    QThreadPool::globalInstance()->start([old = std::move(previous)]() mutable { old.reset(); });
}

void TraceDocument::selectConnection(int connection) {
  if (connection == connection_) return;
  apply(connection, -1, -1);
}

void TraceDocument::selectRecord(int connection, int record) {
  if (connection < 0 || connection >= static_cast<int>(trace_->connections.size())) return apply(-1, -1, -1);
  const auto& c = trace_->connections[static_cast<std::size_t>(connection)];
  if (record < 0 || record >= static_cast<int>(c.records.size())) return apply(connection, -1, -1);
  const auto& r = c.records[static_cast<std::size_t>(record)];
  // Keep the current message when it lives in this record (a record can carry
  // several messages; re-selecting the record must not jump back to the first).
  int message = r.messages.empty() ? -1 : static_cast<int>(r.messages.front());
  if (connection == connection_ && message_ >= 0) {
    for (std::size_t m : r.messages)
      if (static_cast<int>(m) == message_) message = message_;
  }
  apply(connection, record, message);
}

void TraceDocument::selectMessage(int connection, int message) {
  if (connection < 0 || connection >= static_cast<int>(trace_->connections.size())) return apply(-1, -1, -1);
  const auto& c = trace_->connections[static_cast<std::size_t>(connection)];
  if (message < 0 || message >= static_cast<int>(c.messages.size())) return apply(connection, -1, -1);
  int record = static_cast<int>(c.messages[static_cast<std::size_t>(message)].firstRecord);
  apply(connection, record, message);
}

void TraceDocument::markStep(int connection, const model::DerivationStep& step) {
  TraceMarks marks;
  marks.connection = connection;
  const auto* c = connection >= 0 && connection < static_cast<int>(trace_->connections.size())
                      ? &trace_->connections[static_cast<std::size_t>(connection)]
                      : nullptr;
  if (c != nullptr) {
    for (std::size_t m : step.messages)
      if (m < c->messages.size()) marks.messages.push_back(static_cast<int>(m));
    for (std::size_t r : step.records)
      if (r < c->records.size()) marks.records.push_back(static_cast<int>(r));
  }
  setMarks(std::move(marks));
}

void TraceDocument::setMarks(TraceMarks marks) {
  if (marks == marks_) return;
  marks_ = std::move(marks);
  emit marksChanged();
}

void TraceDocument::apply(int connection, int record, int message) {
  bool connectionChanged = connection != connection_;
  bool recordChanged = connectionChanged || record != record_;
  bool messageChanged = connectionChanged || message != message_;
  if (!connectionChanged && !recordChanged && !messageChanged) return;
  connection_ = connection;
  record_ = record;
  message_ = message;
  // Marks belong to one connection's key schedule: selecting within it keeps them.
  if (connectionChanged && marks_.connection >= 0 && marks_.connection != connection_) {
    marks_ = {};
    emit marksChanged();
  }
  if (connectionChanged) emit connectionSelected(connection_);
  if (recordChanged) emit recordSelected(connection_, record_);
  if (messageChanged) emit messageSelected(connection_, message_);
  emit selectionChanged();
}

}  // namespace tlslab::gui
