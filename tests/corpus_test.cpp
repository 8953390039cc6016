// The three parsers on real files of other projects (SUP_CORPUS_DIR, by default
// ../shared/corpus, whose SOURCES and manifest.tsv say where each came from): every
// file the real tool (SET COMMAND, LIBRARY/HELP, MESSAGE) accepts loads, and each one it
// rejects gets the expected clear error naming its line.  The files are read in place,
// never changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cld_parser.hpp"
#include "help/help_session.hpp"
#include "help/hlp_parser.hpp"
#include "msg/msg_parser.hpp"
#include "support/daemon_fixture.hpp"

namespace {

namespace fs = std::filesystem;

// A file the real tool rejects, the line the error must name and a part of its text.
struct Rejected {
  const char* file;  // relative to the corpus directory
  int line;
  const char* reason;
};

// Why each is rejected:
// - Info-ZIP's zip_cli.cld is C-preprocessor input (#ifdef), run through
//   CC/PREPROCESS_ONLY before SET COMMAND sees it (its vms/build_zip.com does so).
// - FreeVMS's edt.hlp opens with text before any key line; LIBRARY/HELP needs a key first.
// - FreeVMS's dfumsg.msg is a variable-length record file committed byte for byte.
constexpr Rejected kRejected[] = {
    {"cld/pmqs__Info-ZIP-Family-Tree-for-Zip__vms__zip_cli.cld", 13, "C-preprocessor"},
    {"hlp/rroart__freevms__edt__src__edt.hlp", 1, "text before the first key"},
    {"msg/rroart__freevms__dfu__src__dfumsg.msg", 1, "binary record file"},
};

struct Outcome {
  bool ok = false;
  int line = 0;           // of the error
  std::string message;    // of the error
  std::size_t items = 0;  // what a loaded file defines: definitions, keys or messages
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t count_keys(const sup::help::Topic& topic) {
  std::size_t n = topic.subtopics.size();
  for (const auto& sub : topic.subtopics) n += count_keys(sub);
  return n;
}

Outcome run_parser(const std::string& kind, const fs::path& path) {
  const std::string text = slurp(path);
  Outcome out;
  if (kind == "cld") {
    const auto r = sup::cli::cld::parse_cld(text, path.filename().string());
    out.ok = r.ok();
    if (r.ok()) {
      out.items = r.model->verbs.size() + r.model->syntaxes.size() + r.model->types.size();
    } else {
      out.line = r.error->line;
      out.message = r.error->text();
    }
  } else if (kind == "hlp") {
    const auto r = sup::help::parse_hlp(text);
    out.ok = r.ok();
    if (r.ok()) {
      out.items = count_keys(r.library.root);
    } else {
      out.line = static_cast<int>(r.error->line);
      out.message = r.error->message;
    }
  } else {
    std::vector<sup::msg::MsgError> errors;
    const auto r = sup::msg::parse_message_file(text, errors);
    out.ok = r.has_value();
    if (r) {
      out.items = r->messages.size();
    } else {
      out.line = errors.at(0).line;
      out.message = errors.at(0).text;
    }
  }
  return out;
}

std::optional<fs::path> corpus_dir() {
  const fs::path dir = SUP_CORPUS_DIR;
  if (fs::is_directory(dir / "cld") && fs::is_directory(dir / "hlp") &&
      fs::is_directory(dir / "msg")) {
    return dir;
  }
  return std::nullopt;
}

TEST(Corpus, RealToolsOutcomeOnEveryFile) {
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "no corpus at " << SUP_CORPUS_DIR << " (cmake -DSUP_CORPUS_DIR=...)";
  std::map<std::string, int> loaded, total;
  for (const std::string kind : {"cld", "hlp", "msg"}) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(*dir / kind)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    EXPECT_FALSE(files.empty()) << kind;
    for (const auto& path : files) {
      const std::string rel = kind + "/" + path.filename().string();
      SCOPED_TRACE(rel);
      const Outcome out = run_parser(kind, path);
      const auto rejected = std::find_if(std::begin(kRejected), std::end(kRejected),
                                         [&](const Rejected& r) { return rel == r.file; });
      ++total[kind];
      if (rejected == std::end(kRejected)) {
        EXPECT_TRUE(out.ok) << "the real tool accepts it; line " << out.line << ": " << out.message;
        EXPECT_GT(out.items, 0u) << "loaded, but defines nothing";
        loaded[kind] += out.ok ? 1 : 0;
      } else {
        ASSERT_FALSE(out.ok) << "the real tool rejects it: " << rejected->reason;
        EXPECT_EQ(out.line, rejected->line) << out.message;
        EXPECT_NE(out.message.find(rejected->reason), std::string::npos) << out.message;
      }
      for (const char* internal : {"boost", "spirit", "x3::"}) {
        EXPECT_EQ(out.message.find(internal), std::string::npos) << out.message;
      }
    }
  }
  for (const auto& [kind, n] : total) {
    RecordProperty(kind + "_loaded", std::to_string(loaded[kind]) + "/" + std::to_string(n));
  }
}

// Info-ZIP's zip_cli.cld once preprocessed loads: with every feature macro defined (its
// TEST_CLI block) CC/PREPROCESS_ONLY leaves exactly the lines that do not start with "#",
// as it has no #else.  That exercises rules 4 and 5 on real text (DISALLOW LEVEL.0.DEFLATE).
TEST(Corpus, ZipCliLoadsOncePreprocessed) {
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "no corpus at " << SUP_CORPUS_DIR;
  std::istringstream in(slurp(*dir / kRejected[0].file));
  std::string preprocessed;
  for (std::string line; std::getline(in, line);) {
    ASSERT_EQ(line.find("#else"), std::string::npos);
    if (line.rfind('#', 0) != 0) preprocessed += line + "\n";
  }
  const auto r = sup::cli::cld::parse_cld(preprocessed, "zip_cli.cld");
  ASSERT_TRUE(r.ok()) << r.error->text();
  const auto* zip = r.model->find_verb("ZIP");
  ASSERT_NE(zip, nullptr);
  EXPECT_GT(zip->disallows.size(), 20u);
  EXPECT_NE(zip->find_qualifier("LEVEL"), nullptr);
}

// HELP on a real library: "HELP LYNX SEE" reaches "2 See Also" (rule 11).
TEST(Corpus, HelpReachesAKeyWithABlankByItsFirstWord) {
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "no corpus at " << SUP_CORPUS_DIR;
  const auto parsed =
      sup::help::parse_hlp(slurp(*dir / "hlp/ThomasDickey__lynx-snapshots__lynx.hlp"));
  ASSERT_TRUE(parsed.ok()) << parsed.error->to_string();
  std::vector<std::string> out;
  sup::help::HelpSession session(
      parsed.library, [&](std::string_view l) { out.emplace_back(l); }, nullptr);
  EXPECT_EQ(session.run({"lynx see"}), sup::help::HelpOutcome::kFound);
  EXPECT_NE(std::find(out.begin(), out.end(), "  See Also"), out.end());
}

TEST(Corpus, EveryExpectedRejectionNamesAFileThatIsThere) {
  const auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "no corpus at " << SUP_CORPUS_DIR;
  for (const auto& r : kRejected) EXPECT_TRUE(fs::is_regular_file(*dir / r.file)) << r.file;
}

// --- supervisor configurations of real projects (conf/) through `supervisord --check`.
// Each file loads, or fails only for reasons documented in README "Coming from
// supervisor"; the table says which ones may remain for each file, so that a new kind
// of failure (a regression, or a key nobody has documented) fails the test, and a
// reason that goes away (another part of issue 11 lands) does not.

// An error text and why it is not a defect of the file.
struct ConfReason {
  const char* pattern;  // a part of the error's text ("[program:x] user: missing")
  const char* why;
};

// What the containers these files come from set in the environment (their %(ENV_X)s).
// The variables the images of these files set before supervisord reads them (supervisor
// refuses an unset %(ENV_X)s as we do; docker-ubuntu-vnc-desktop's startup.sh exports
// PREFIX_PATH, empty unless a relative URL is configured).
const std::vector<std::string> kConfEnvironment{"WORKERS_COUNT=2", "FETCHMAIL_POLL=300",
                                                "SUPERVISOR_PHP_USER=sail", "PREFIX_PATH="};

constexpr ConfReason kConfReasons[] = {
    {"] user: missing", "user is mandatory here (README \"Coming from supervisor\")"},
    // A program key written in [supervisord], which supervisor ignores silently.
    {"[supervisord] autorestart: unknown key",
     "unknown keys are errors here (supervisor ignores "
     "them)"},
    {"[supervisord] stopsignal: unknown key",
     "unknown keys are errors here (supervisor ignores "
     "them)"},
    // The same error as supervisor's: an [include] whose files line is commented out.
    {"[include] files: missing", "an [include] without files (supervisor refuses it too)"},
    // A group of a package whose programs are in its other files (not in the corpus).
    {"] programs: there is no [program:", "a [group:x] whose programs are in other files"},
    // The INI reader's line limit (198 characters): longer values continue indented.
    {": line is ", "a line longer than the INI reader's limit"},
    // A `command` continued on indented lines: the command rule (dropkeys) decides.
    {"] command: the value continues", "a multi-line command (dropkeys)"},
    // Keys of the output part of issue 11, not merged yet: the key is the reason.
    {"] stdout_logfile: unknown key", "stdout_logfile (output)"},
    {"] stderr_logfile: unknown key", "stderr_logfile (output)"},
    {"] stdout_logfile_maxbytes: unknown key", "stdout_logfile_maxbytes (output)"},
    {"] stderr_logfile_maxbytes: unknown key", "stderr_logfile_maxbytes (output)"},
    {"] stdout_logfile_backups: unknown key", "stdout_logfile_backups (output)"},
    {"] stderr_logfile_backups: unknown key", "stderr_logfile_backups (output)"},
    {"] redirect_stderr: unknown key", "redirect_stderr (output)"},
    {"] logfile_maxbytes: unknown key", "logfile_maxbytes (output)"},
    {"] logfile_backups: unknown key", "logfile_backups (output)"},
    {"] childlogdir: unknown key", "childlogdir (output)"},
    {"] command: ", "the command rule (dropkeys)"},
    // Not in any part of issue 11: event notification.
    {"] stdout_events_enabled: unknown key", "stdout_events_enabled: no events yet"},
    {"] stderr_events_enabled: unknown key", "stderr_events_enabled: no events yet"},
};

// The output lines of `supervisord --check` that are errors.
std::vector<std::string> check_errors(const fs::path& file, std::string& all_output) {
  const auto r = sup::testing::run_command(
      {SUP_BINARY_DIR "/supervisord", "--check", "-c", file.string()}, "", kConfEnvironment);
  all_output = r.out + r.err;
  std::vector<std::string> errors;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("%SUPERVISOR-E-CFGERR, ", 0) == 0) errors.push_back(line);
  EXPECT_EQ(r.exit_code == 0, errors.empty()) << all_output;
  return errors;
}

TEST(Corpus, SupervisorConfigurationsFailOnlyForDocumentedReasons) {
  const fs::path dir = fs::path(SUP_CORPUS_DIR) / "conf";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  int loaded = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    std::string output;
    const auto errors = check_errors(path, output);
    loaded += errors.empty() ? 1 : 0;
    std::set<std::string> reasons;
    for (const auto& error : errors) {
      const auto known = std::find_if(
          std::begin(kConfReasons), std::end(kConfReasons),
          [&](const ConfReason& r) { return error.find(r.pattern) != std::string::npos; });
      EXPECT_NE(known, std::end(kConfReasons)) << "an undocumented failure: " << error;
      if (known != std::end(kConfReasons)) reasons.insert(known->why);
    }
    std::string said;
    for (const auto& r : reasons) said += (said.empty() ? "" : "; ") + r;
    RecordProperty(path.filename().string(), errors.empty() ? "loads" : "fails: " + said);
  }
  RecordProperty("conf_loaded", std::to_string(loaded) + "/" + std::to_string(files.size()));
}

}  // namespace
