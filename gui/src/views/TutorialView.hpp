#pragma once
// The tutorials (tutorials/*.md under tlslab::homeDir()), rendered with
// QTextBrowser::setMarkdown. Links to another tutorial open here; web links
// open in the browser; every inline `tlslab ...` command becomes a link that
// emits runRequested, so the shell can run the step the text describes.
//
//   availableTutorials()   names ("handshake", "mitm", ...), sorted
//   showTutorial(name)     false when there is no such tutorial
//   runRequested(args)     e.g. "lab run mitm --matrix" (without "tlslab ")
//   firstCommand()         the tutorial's first command, offered as a Run button
#include <QWidget>
#include <filesystem>

class QComboBox;
class QPushButton;
class QTextBrowser;
class QUrl;

namespace tlslab::gui::views {

class TutorialView : public QWidget {
  Q_OBJECT
 public:
  explicit TutorialView(QWidget* parent = nullptr);

  // Defaults to homeDir()/tutorials; tests point it elsewhere.
  void setTutorialsDir(const std::filesystem::path& dir);
  QStringList availableTutorials() const;
  bool showTutorial(const QString& name);
  QString currentTutorial() const { return current_; }
  QTextBrowser* browser() const { return browser_; }
  QString firstCommand() const { return firstCommand_; }
  QPushButton* runButton() const { return run_; }

  // The Markdown as shown: inline `tlslab ...` commands turned into links.
  static QString linkCommands(const QString& markdown);

 signals:
  void runRequested(const QString& arguments);

 private:
  void openLink(const QUrl& url);
  void refreshList();

  std::filesystem::path dir_;
  QString current_;
  QString firstCommand_;
  QComboBox* picker_;
  QTextBrowser* browser_;
  QPushButton* run_;
};

}  // namespace tlslab::gui::views
