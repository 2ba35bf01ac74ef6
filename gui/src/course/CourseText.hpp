#pragma once
// Small presentation helpers of the Course panel (no logic: core's words, shown).
#include <QPalette>
#include <QString>

#include "tlslab/scenarios/course/Lab.hpp"

namespace tlslab::gui {

// HTML-escaped text whose `inline code` spans become <code>, as the hints and
// details write commands.
QString courseRichText(const QString& text);
// "✔ detail" coloured for its verdict, with "Hint: …" under a failure.
QString verdictHtml(const course::CheckResult& result, const QPalette& palette);

}  // namespace tlslab::gui
