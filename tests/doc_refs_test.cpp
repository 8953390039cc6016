// Every document a comment cites is in the repository (doc/conventions.md section 2):
// each `.md` path a comment in src/, tests/, bench/ or a build file names must exist, and
// a section number cited after it ("section 3", "sections 1-2", "sections 3 and 4") must
// be a numbered heading ("## 3. ...") of that file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/daemon_fixture.hpp"

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Where the comment of a line starts (npos: none): the first `marker` outside a quoted
// string, so that test data holding a comment marker is not taken for a citation.
std::size_t comment_start(const std::string& line, const std::string& marker) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || (c == '\'' && marker == "//")) {
      quote = c;
    } else if (line.compare(i, marker.size(), marker) == 0) {
      return i;
    }
  }
  return std::string::npos;
}

// The comment text of a file, one comment line after another joined by blanks (so that a
// citation broken across two comment lines reads as one).  Markdown files count whole.
std::string comments_of(const fs::path& path) {
  const auto ext = path.extension().string();
  const auto name = path.filename().string();
  std::string text = slurp(path);
  if (ext == ".md") return text;
  std::string marker = "#";  // shell, CMake
  if (ext == ".cpp" || ext == ".hpp" || ext == ".h") marker = "//";
  if (name == "DESCRIP.MMS") marker = "!";
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    const auto at = comment_start(line, marker);
    if (at != std::string::npos) out += line.substr(at + marker.size()) + ' ';
  }
  return out;
}

// The numbers of a file's numbered headings: "## 3. Layers" -> 3.
std::set<int> section_numbers(const fs::path& md) {
  static const std::regex heading(R"(^#+\s+(\d+)\.)");
  std::set<int> out;
  std::istringstream in(slurp(md));
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, heading)) out.insert(std::stoi(m[1]));
  return out;
}

// Every number of "3", "1-2", "3 and 4", "6, 7".
std::vector<int> numbers_in(const std::string& list) {
  static const std::regex number(R"(\d+)");
  std::vector<int> out;
  for (std::sregex_iterator it(list.begin(), list.end(), number), end; it != end; ++it)
    out.push_back(std::stoi(it->str()));
  return out;
}

// The problems of the citations in one file's comments.
std::vector<std::string> check_file(const fs::path& root, const fs::path& file) {
  static const std::regex cite(
      R"(([A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md)\b(,?\s+sections?\s+(\d+(\s*(-|,|and)\s*\d+)*))?)");
  const std::string text = comments_of(file);
  const std::string rel = fs::relative(file, root).generic_string();
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), cite), end; it != end; ++it) {
    const auto& m = *it;
    // A URL's file is not ours to check: skip a word that holds "://".
    const auto pos = static_cast<std::size_t>(m.position(0));
    const auto word = text.find_last_of(" \t\n", pos);
    const auto from = word == std::string::npos ? 0 : word + 1;
    if (text.substr(from, pos + m[1].length() - from).find("://") != std::string::npos) continue;
    const std::string name = m[1];
    fs::path doc = root / name;
    if (!fs::is_regular_file(doc)) doc = file.parent_path() / name;
    if (!fs::is_regular_file(doc)) {
      out.push_back(rel + ": names " + name + ", which is not in the repository");
      continue;
    }
    if (!m[3].matched) continue;
    const auto have = section_numbers(doc);
    for (int n : numbers_in(m[3]))
      if (!have.count(n))
        out.push_back(rel + ": cites " + name + " section " + std::to_string(n) +
                      ", which has no such numbered heading");
  }
  return out;
}

// The files whose comments are checked: every source, script and document under src/,
// tests/ (not the fuzz corpora, which are data) and bench/, and the build files.
std::vector<fs::path> cited_from(const fs::path& root) {
  static const std::set<std::string> kinds = {".cpp", ".hpp", ".h", ".sh", ".md", ".cmake"};
  std::vector<fs::path> out;
  for (const char* dir : {"src", "tests", "bench"}) {
    for (auto it = fs::recursive_directory_iterator(root / dir);
         it != fs::recursive_directory_iterator(); ++it) {
      const auto& p = it->path();
      if (it->is_directory() && p.parent_path().filename() == "fuzz") {
        it.disable_recursion_pending();  // tests/fuzz/<target>/: seed inputs
        continue;
      }
      if (it->is_regular_file() &&
          (kinds.count(p.extension().string()) || p.filename() == "CMakeLists.txt"))
        out.push_back(p);
    }
  }
  for (const char* f : {"CMakeLists.txt", "dev.sh", "DESCRIP.MMS"}) out.push_back(root / f);
  return out;
}

TEST(DocRefs, EveryCitedDocumentAndSectionExists) {
  const fs::path root = SUP_SOURCE_DIR;
  const auto files = cited_from(root);
  ASSERT_GT(files.size(), 50u);
  for (const auto& f : files)
    for (const auto& problem : check_file(root, f)) ADD_FAILURE() << problem;
}

TEST(DocRefs, TheCheckSeesWhatIsMissing) {
  // A tree of its own, so that the real one does not matter.
  sup::testing::TempDir tmp;
  const fs::path dir = tmp.path();
  fs::create_directories(dir / "doc");
  tmp.write("doc/a.md", "# A\n\n## 1. One\n\n## 2. Two\n");
  tmp.write("x.cpp",
            "int x;  // see doc/a.md section 2, doc/a.md\n"
            "// sections 1 and 3; OUTSIDE.md; http://h/doc/b.md\n");
  const auto problems = check_file(dir, dir / "x.cpp");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("section 3"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("OUTSIDE.md"), std::string::npos) << problems[1];
}

}  // namespace
