#include "course/CourseText.hpp"

#include <QRegularExpression>

#include "course/AnswersModel.hpp"
#include "views/ViewStyle.hpp"

namespace tlslab::gui {

QString courseRichText(const QString& text) {
  static const QRegularExpression code(QStringLiteral("`([^`]+)`"));
  QString html = text.toHtmlEscaped();
  html.replace(code, QStringLiteral("<code>\\1</code>"));
  return html;
}

QString verdictHtml(const course::CheckResult& result, const QPalette& palette) {
  QString html = QStringLiteral("<span style=\"color:%1\"><b>%2</b></span> %3")
                     .arg(views::toneColor(verdictTone(result.verdict), palette).name(), verdictMark(result.verdict),
                          courseRichText(QString::fromStdString(result.detail)));
  if (result.verdict != course::Verdict::Pass && !result.hint.empty())
    html += QStringLiteral("<br><i>Hint:</i> %1").arg(courseRichText(QString::fromStdString(result.hint)));
  return html;
}

}  // namespace tlslab::gui
