#pragma once
// One line of the run log for an endpoint event, as it streams in.
#include <QString>

#include "tlslab/endpoints/Events.hpp"

namespace tlslab::gui {

// Empty when the event is bookkeeping not worth a line (record headers, raw
// wire chunks, state transitions). `start` is the run's first event time.
QString eventLine(endpoints::Role role, const endpoints::Event& event, endpoints::TimeUs start);
// The time of any event.
endpoints::TimeUs eventTime(const endpoints::Event& event);

}  // namespace tlslab::gui
