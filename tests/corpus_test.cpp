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
#include <sstream>
#include <string>
#include <vector>

#include "cli/cld_parser.hpp"
#include "help/help_session.hpp"
#include "help/hlp_parser.hpp"
#include "msg/msg_parser.hpp"

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

}  // namespace
