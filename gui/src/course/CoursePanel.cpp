#include "course/CoursePanel.hpp"

#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "course/CourseModel.hpp"
#include "course/CourseWorker.hpp"
#include "course/LabPage.hpp"
#include "tlslab/scenarios/course/Class.hpp"

namespace tlslab::gui {

namespace {
const QString kRootKey = QStringLiteral("course/root");
const QString kStudentKey = QStringLiteral("course/student");
const QString kKeyFileKey = QStringLiteral("course/keyFile");
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

// A line edit with a "…" button that picks a file or a folder into it.
QWidget* withBrowse(QLineEdit* edit, QWidget* parent, bool folder, const QString& title) {
  auto* box = new QWidget(parent);
  auto* layout = new QHBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  auto* browse = new QPushButton(QObject::tr("…"), box);
  browse->setToolTip(title);
  QObject::connect(browse, &QPushButton::clicked, edit, [edit, folder, title] {
    const QString chosen = folder ? QFileDialog::getExistingDirectory(edit, title, edit->text())
                                  : QFileDialog::getOpenFileName(edit, title, edit->text());
    if (chosen.isEmpty()) return;
    edit->setText(chosen);
    emit edit->editingFinished();
  });
  layout->addWidget(browse);
  return box;
}
}  // namespace

CoursePanel::CoursePanel(QWidget* parent)
    : QWidget(parent), model_(new CourseModel(this)), worker_(new CourseWorker(this)), stack_(new QStackedWidget(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(stack_);
  stack_->addWidget(buildOverview());
  page_ = new LabPage(worker_, stack_);
  stack_->addWidget(page_);

  QSettings settings;
  student_->setText(settings.value(kStudentKey).toString());
  keyFile_->setText(settings.value(kKeyFileKey).toString());
  setRoot(settings.value(kRootKey, QDir::currentPath()).toString());

  connect(page_, &LabPage::backRequested, this, &CoursePanel::showOverview);
  connect(page_, &LabPage::startRequested, this, &CoursePanel::startLab);
  connect(page_, &LabPage::labRunRequested, this, &CoursePanel::labRunRequested);
  connect(page_, &LabPage::captureOpenRequested, this, &CoursePanel::captureOpenRequested);
  connect(page_, &LabPage::checked, this, &CoursePanel::refresh);
  connect(page_, &LabPage::stepRan, this, &CoursePanel::refresh);
  connect(page_, &LabPage::errorOccurred, this, &CoursePanel::showError);
  connect(worker_, &CourseWorker::progress, this, [this](const QString& line) {
    status_->setText(line);
    if (isShowingLab()) page_->appendConsole(line);
  });
  connect(worker_, &CourseWorker::failed, this, [this](const QString& what, const QString& why) {
    setBusy(false, what);
    if (isShowingLab()) page_->appendConsole(QStringLiteral("✗ %1: %2").arg(what, why));
    showError(what, why);
  });
  connect(worker_, &CourseWorker::workspaceReady, this, [this](int lab, const QString& dir) {
    setBusy(false, tr("Lab %1's workspace is ready in %2").arg(lab).arg(dir));
    refresh();
    showLab(lab);
    page_->appendConsole(tr("■ your workspace for lab %1 is %2").arg(lab).arg(dir));
  });
}

QWidget* CoursePanel::buildOverview() {
  auto* page = new QWidget(stack_);
  auto* layout = new QVBoxLayout(page);
  auto* intro = new QLabel(tr("<b>The course</b>: one lab after another. Each lab makes a workspace of your own "
                              "(your captures, keys and answers), checked as you go."), page);
  intro->setWordWrap(true);
  layout->addWidget(intro);

  labs_ = new QTableView(page);
  labs_->setModel(model_);
  labs_->setSelectionBehavior(QAbstractItemView::SelectRows);
  labs_->setSelectionMode(QAbstractItemView::SingleSelection);
  labs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  labs_->verticalHeader()->hide();
  labs_->horizontalHeader()->setSectionResizeMode(CourseModel::Title, QHeaderView::Stretch);
  labs_->horizontalHeader()->setSectionResizeMode(CourseModel::Status, QHeaderView::ResizeToContents);
  labs_->setAlternatingRowColors(true);
  connect(labs_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CoursePanel::selectionChanged);
  connect(labs_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (const auto* lab = model_->labAt(index.row())) showLab(lab->number);
  });
  layout->addWidget(labs_, 1);
  goal_ = new QLabel(page);
  goal_->setWordWrap(true);
  layout->addWidget(goal_);

  auto* form = new QFormLayout;
  student_ = new QLineEdit(page);
  student_->setPlaceholderText(tr("e.g. alice (letters, digits, . _ -)"));
  student_->setToolTip(tr("Your student ID: your materials (passwords, names, captures) are made for it"));
  keyFile_ = new QLineEdit(page);
  keyFile_->setPlaceholderText(tr("optional: the key file your teacher gave you"));
  keyFile_->setToolTip(tr("Without one you work in self-study mode: your own materials, but anyone could compute them"));
  root_ = new QLineEdit(page);
  root_->setToolTip(tr("Each lab's workspace is a folder tlslab-lab-N in here (a challenge's: tlslab-SLUG)"));
  form->addRow(tr("Student ID:"), student_);
  form->addRow(tr("Key file:"), withBrowse(keyFile_, page, false, tr("Choose your key file")));
  form->addRow(tr("Workspaces in:"), withBrowse(root_, page, true, tr("Choose the folder for your workspaces")));
  layout->addLayout(form);
  connect(student_, &QLineEdit::textChanged, this, &CoursePanel::selectionChanged);
  connect(keyFile_, &QLineEdit::textChanged, this, &CoursePanel::selectionChanged);
  connect(student_, &QLineEdit::editingFinished, this,
          [this] { QSettings().setValue(kStudentKey, student_->text().trimmed()); });
  connect(keyFile_, &QLineEdit::editingFinished, this,
          [this] { QSettings().setValue(kKeyFileKey, keyFile_->text().trimmed()); });
  connect(root_, &QLineEdit::editingFinished, this, [this] { setRoot(root_->text()); });

  auto* buttons = new QHBoxLayout;
  start_ = new QPushButton(tr("Start lab"), page);
  start_->setToolTip(tr("Make this lab's workspace for you (as `tlslab lab start`); an existing one keeps your answers"));
  open_ = new QPushButton(tr("Open lab"), page);
  open_->setToolTip(tr("The lab's tutorial, its steps and your answers"));
  buttons->addWidget(start_);
  buttons->addWidget(open_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  connect(start_, &QPushButton::clicked, this, [this] { startLab(selectedLab()); });
  connect(open_, &QPushButton::clicked, this, [this] { showLab(selectedLab()); });

  auto* statusRow = new QHBoxLayout;
  status_ = new QLabel(page);
  status_->setWordWrap(true);
  busy_ = new QProgressBar(page);
  busy_->setRange(0, 0);
  busy_->setMaximumWidth(120);
  busy_->hide();
  statusRow->addWidget(status_, 1);
  statusRow->addWidget(busy_);
  layout->addLayout(statusRow);
  if (model_->rowCount() > 0) labs_->selectRow(0);
  return page;
}

bool CoursePanel::isShowingLab() const { return stack_->currentWidget() == page_; }

std::filesystem::path CoursePanel::root() const { return model_->root(); }

void CoursePanel::setRoot(const QString& dir) {
  const QString absolute = QDir(dir.trimmed().isEmpty() ? QDir::currentPath() : dir.trimmed()).absolutePath();
  root_->setText(absolute);
  QSettings().setValue(kRootKey, absolute);
  model_->setRoot(absolute.toStdString());
  selectionChanged();
}

void CoursePanel::setTutorialsDir(const std::filesystem::path& dir) { page_->setTutorialsDir(dir); }

void CoursePanel::setToolsDir(const QString& dir) { page_->setToolsDir(dir); }

int CoursePanel::selectedLab() const {
  const auto* lab = model_->labAt(labs_->currentIndex().row());
  return lab ? lab->number : 0;
}

void CoursePanel::selectionChanged() {
  const int row = labs_->currentIndex().row();
  const auto* lab = model_->labAt(row);
  goal_->setText(lab ? tr("<b>Goal:</b> %1").arg(qs(lab->goal).toHtmlEscaped()) : QString());
  const bool started = lab != nullptr && model_->workspaceAt(row).has_value();
  start_->setText(started ? tr("Start again") : tr("Start lab"));
  const bool someone = !student_->text().trimmed().isEmpty() || !keyFile_->text().trimmed().isEmpty();
  start_->setEnabled(lab != nullptr && !worker_->isRunning() && someone);
  open_->setEnabled(lab != nullptr);
}

void CoursePanel::showOverview() {
  refresh();
  stack_->setCurrentIndex(0);
}

bool CoursePanel::showLab(int number) {
  const int row = model_->rowOf(number);
  if (row < 0) return false;
  labs_->selectRow(row);
  page_->setLab(model_->labAt(row), model_->workspaceAt(row), root(), student_->text().trimmed(), keyFile_->text().trimmed());
  stack_->setCurrentWidget(page_);
  return true;
}

void CoursePanel::refresh() {
  model_->refresh();
  selectionChanged();
  // A workspace made or removed behind the page's back (a step ran `tlslab lab start`).
  if (const auto* lab = page_->lab()) {
    const int row = model_->rowOf(lab->number);
    if (row >= 0 && model_->workspaceAt(row) != page_->workspace())
      page_->setLab(lab, model_->workspaceAt(row), root(), student_->text().trimmed(), keyFile_->text().trimmed());
  }
}

void CoursePanel::startLab(int number) {
  const int row = model_->rowOf(number);
  if (row < 0 || worker_->isRunning()) return;
  std::string student = student_->text().trimmed().toStdString();
  course::StartOptions options;
  // A teacher's key file binds the workspace to the class; without one it is self-study.
  if (const QString keyFile = keyFile_->text().trimmed(); !keyFile.isEmpty()) {
    auto credentials = course::readStudentKey(keyFile.toStdString());
    if (!credentials) return showError(tr("Cannot start lab %1").arg(number), QString::fromStdString(credentials.error()));
    if (student.empty()) student_->setText(qs(student = credentials->student));
    if (credentials->student != student)
      return showError(tr("Cannot start lab %1").arg(number),
                       tr("The key file %1 is %2's, not %3's: clear the student ID or choose your own key file.")
                           .arg(keyFile, qs(credentials->student), qs(student)));
    options.studentKey = credentials->key;
    options.classTag = credentials->classTag;
    QSettings().setValue(kKeyFileKey, keyFile);
  }
  if (!course::validStudentId(student))
    return showError(tr("Cannot start lab %1").arg(number),
                     tr("'%1' is not a student ID: use 1 to 64 letters, digits, '.', '_' or '-'.").arg(qs(student)));
  QSettings().setValue(kStudentKey, qs(student));
  options.lab = model_->labAt(row);
  options.student = student;
  options.dir = model_->workspaceAt(row).value_or(root() / course::defaultWorkspaceDir(number));
  if (isShowingLab()) page_->appendConsole(tr("▶ starting lab %1 for %2").arg(number).arg(qs(student)));
  worker_->startWorkspace(options);
  setBusy(true, tr("Making your workspace for lab %1 in %2…").arg(number).arg(path(options.dir)));
}

void CoursePanel::setBusy(bool busy, const QString& text) {
  busy_->setVisible(busy);
  status_->setText(text);
  selectionChanged();
}

void CoursePanel::showError(const QString& title, const QString& text) {
  // Opened, not exec()'d: the GUI keeps running behind it.
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
  lastError_ = box;
}

}  // namespace tlslab::gui
