#include "views/TutorialView.hpp"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include "tlslab/util/Paths.hpp"

namespace tlslab::gui::views {

namespace {
constexpr const char* kRunScheme = "tlslab-run";
}

TutorialView::TutorialView(QWidget* parent)
    : QWidget(parent), picker_(new QComboBox(this)), browser_(new QTextBrowser(this)), run_(new QPushButton(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 4, 6, 0);
  bar->addWidget(new QLabel(tr("Tutorial:"), this));
  bar->addWidget(picker_, 1);
  bar->addWidget(run_);
  run_->hide();
  connect(run_, &QPushButton::clicked, this, [this] { emit runRequested(firstCommand_); });
  layout->addLayout(bar);
  layout->addWidget(browser_, 1);
  // Links are handled here: tutorials open in place, commands are offered to
  // the shell, and only web links leave the application.
  browser_->setOpenLinks(false);
  browser_->document()->setDocumentMargin(14);
  connect(browser_, &QTextBrowser::anchorClicked, this, &TutorialView::openLink);
  connect(picker_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0) showTutorial(picker_->itemData(i).toString());
  });
  setTutorialsDir(tlslab::homeDir() / "tutorials");
}

void TutorialView::setTutorialsDir(const std::filesystem::path& dir) {
  dir_ = dir;
  browser_->setSearchPaths({QString::fromStdString(dir.string())});
  refreshList();
  // Start where a newcomer should: the handshake lab (08), else the first one.
  const QStringList names = availableTutorials();
  if (!names.isEmpty()) showTutorial(names.contains(QLatin1String("08-handshake-anatomy")) ? QStringLiteral("08-handshake-anatomy") : names.first());
}

QStringList TutorialView::availableTutorials() const {
  QStringList names;
  for (const QString& file : QDir(QString::fromStdString(dir_.string())).entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name))
    names << file.chopped(3);
  return names;
}

void TutorialView::refreshList() {
  const QSignalBlocker block(picker_);
  picker_->clear();
  for (const QString& name : availableTutorials()) {
    // The first heading is the title a learner recognises ("Lab: the man in the middle ...").
    QString title = name;
    QFile file(QString::fromStdString((dir_ / (name.toStdString() + ".md")).string()));
    if (file.open(QIODevice::ReadOnly)) {
      const QString firstLine = QString::fromUtf8(file.readLine()).trimmed();
      if (firstLine.startsWith(QLatin1String("# "))) title = firstLine.mid(2);
    }
    picker_->addItem(title, name);
  }
  if (picker_->count() == 0) {
    browser_->setMarkdown(tr("*No tutorials found in* `%1`.").arg(QString::fromStdString(dir_.string())));
    current_.clear();
  }
}

QString TutorialView::linkCommands(const QString& markdown) {
  // Only inline code outside fenced blocks: a fenced block is shown as is.
  static const QRegularExpression command(QStringLiteral("`tlslab ([^`\\n]+)`"));
  QStringList lines = markdown.split(QLatin1Char('\n'));
  bool fenced = false;
  for (QString& line : lines) {
    if (line.trimmed().startsWith(QLatin1String("```"))) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    QString out;
    qsizetype last = 0;
    for (auto it = command.globalMatch(line); it.hasNext();) {
      const QRegularExpressionMatch m = it.next();
      out += line.mid(last, m.capturedStart() - last);
      const QString args = m.captured(1);
      out += QStringLiteral("[`tlslab %1`](%2:%3 \"Run this step\")")
                 .arg(args, QLatin1String(kRunScheme), QString::fromLatin1(QUrl::toPercentEncoding(args)));
      last = m.capturedEnd();
    }
    if (last > 0) line = out + line.mid(last);
  }
  return lines.join(QLatin1Char('\n'));
}

bool TutorialView::showTutorial(const QString& name) {
  QFile file(QString::fromStdString((dir_ / (name.toStdString() + ".md")).string()));
  if (!file.open(QIODevice::ReadOnly)) return false;
  current_ = name;
  const QString markdown = QString::fromUtf8(file.readAll());
  browser_->setMarkdown(linkCommands(markdown));
  // The lab itself: its first `tlslab lab run …` command, else the first command.
  static const QRegularExpression firstRun(QStringLiteral("tlslab (lab run [^`\\n]+)"));
  static const QRegularExpression first(QStringLiteral("`tlslab ([^`\\n]+)`"));
  firstCommand_ = firstRun.match(markdown).captured(1).trimmed();
  if (firstCommand_.isEmpty()) firstCommand_ = first.match(markdown).captured(1);
  run_->setText(tr("▶ Run: tlslab %1").arg(firstCommand_));
  run_->setToolTip(tr("Run the step this tutorial starts with"));
  run_->setVisible(!firstCommand_.isEmpty());
  const int index = picker_->findData(name);
  if (index >= 0 && picker_->currentIndex() != index) {
    const QSignalBlocker block(picker_);
    picker_->setCurrentIndex(index);
  }
  return true;
}

void TutorialView::openLink(const QUrl& url) {
  if (url.scheme() == QLatin1String(kRunScheme)) {
    emit runRequested(QUrl::fromPercentEncoding(url.path().toUtf8()));
    return;
  }
  if (url.scheme().isEmpty() || url.isLocalFile()) {
    // "mitm.md" or "mitm.md#section": another tutorial.
    const QString file = QFileInfo(url.path()).fileName();
    if (file.endsWith(QLatin1String(".md")) && showTutorial(file.chopped(3))) {
      if (url.hasFragment()) browser_->scrollToAnchor(url.fragment());
      return;
    }
    if (url.path().isEmpty() && url.hasFragment()) {
      browser_->scrollToAnchor(url.fragment());
      return;
    }
  }
  QDesktopServices::openUrl(url);
}

}  // namespace tlslab::gui::views
