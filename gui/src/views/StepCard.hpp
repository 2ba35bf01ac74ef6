#pragma once
// One derivation step as a card, reading inputs -> function -> output: name,
// status badge, RFC section, function, every input, the output, the note,
// the key log line it came from and the command that reproduces it by hand.
// Child object names: "badge", "name", "rfc", "function", "input<N>",
// "output", "note", "keyLogLine", "command". Shared by the card list
// (DerivationView) and the key schedule picture's details.
#include <QFrame>

#include "tlslab/model/Derivation.hpp"

namespace tlslab::gui::views {

QFrame* makeStepCard(const model::DerivationStep& step, QWidget* parent);
// The card's frame in its status colour, outlined when `marked`.
void styleStepCard(QFrame* card, model::StepStatus status, bool marked);

}  // namespace tlslab::gui::views
