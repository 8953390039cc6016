#include "hlp.hpp"

#include <cctype>
#include <sstream>

namespace vmssim::hlp {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool wild_match(const char* p, const char* s) {
  if (*p == 0) return *s == 0;
  if (*p == '*') return wild_match(p + 1, s) || (*s && wild_match(p, s + 1));
  if (*s == 0) return false;
  if (*p == '%' || *p == *s) return wild_match(p + 1, s + 1);
  return false;
}

}  // namespace

bool parse(const std::string& text, std::vector<Topic>& out, std::string& error) {
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  std::vector<Topic*> stack;  // the open topic at each level (stack[0] is level 1)
  int numbered_level = 0;     // the level of the last numbered key
  Topic* current = nullptr;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == '!') continue;
    int level = 0;
    std::string key;
    if (!line.empty() && line[0] >= '1' && line[0] <= '9' &&
        (line.size() == 1 || line[1] == ' ' || line[1] == '\t')) {
      level = line[0] - '0';
      std::size_t b = line.find_first_not_of(" \t", 1);
      std::size_t e = b == std::string::npos ? b : line.find_first_of(" \t", b);
      key = b == std::string::npos ? "" : line.substr(b, e == std::string::npos ? e : e - b);
      numbered_level = level;
    } else if (!line.empty() && line[0] == '/' && numbered_level > 0) {
      level = numbered_level + 1;  // [M] the Librarian's rule for qualifier lines
      std::size_t e = line.find_first_of(" \t");
      key = line.substr(0, e);
    }
    if (level == 0) {
      if (current != nullptr) {
        current->text.push_back(line);
      }
      continue;  // text before the first key is not a topic's
    }
    if (key.empty()) {
      error = "line " + std::to_string(lineno) + ": key missing";
      return false;
    }
    if (level > static_cast<int>(stack.size()) + 1) {
      error = "line " + std::to_string(lineno) + ": level " + std::to_string(level) +
              " under level " + std::to_string(stack.size());
      return false;
    }
    stack.resize(static_cast<std::size_t>(level - 1));
    std::vector<Topic>& siblings = stack.empty() ? out : stack.back()->subtopics;
    siblings.push_back(Topic{key, level, {}, {}});
    current = &siblings.back();
    stack.push_back(current);
    // Pointers into vectors: a later push_back into a parent's subtopics can only move
    // that parent's children, which are above it on the stack and popped first.
    if (line[0] == '/') current->text.push_back(line);  // the /NAME line is its own text
  }
  if (out.empty()) {
    error = "no topics";
    return false;
  }
  return true;
}

std::vector<std::string> split_keys(const std::string& line) {
  std::vector<std::string> keys;
  std::string cur;
  for (char c : line) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) keys.push_back(cur);
      cur.clear();
    } else if (c == '/') {
      if (!cur.empty()) keys.push_back(cur);
      cur = "/";
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) keys.push_back(cur);
  return keys;
}

bool matches(const std::string& key, const std::string& pattern) {
  std::string k = upper(key), p = upper(pattern);
  if (p.find_first_of("*%") != std::string::npos) return wild_match(p.c_str(), k.c_str());
  return !p.empty() && k.compare(0, p.size(), p) == 0;
}

bool list(const std::vector<Topic>& subtopics, const char* heading, const Output& out) {
  if (subtopics.empty()) return true;
  if (!out.line("") || !out.line(std::string("  ") + heading) || !out.line("")) return false;
  // Names in 11-character columns, a longer name taking as many as it needs [M].
  std::string row = "  ";
  for (const auto& t : subtopics) {
    std::size_t cols = (t.key.size() + 1 + 10) / 11;
    std::size_t cell = cols * 11;
    if (row.size() > 2 && row.size() + t.key.size() > static_cast<std::size_t>(out.width)) {
      while (!row.empty() && row.back() == ' ') row.pop_back();
      if (!out.line(row)) return false;
      row = "  ";
    }
    std::string name = t.key;
    name.resize(cell, ' ');
    row += name;
  }
  while (!row.empty() && row.back() == ' ') row.pop_back();
  return out.line(row) && out.line("");
}

namespace {

// Writes one topic: its key path (each key on a line, indented two more per level), its
// text, then its subtopics' names.
bool write_topic(const std::vector<const Topic*>& path, const Output& out) {
  if (!out.line("")) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!out.line(std::string(2 * i, ' ') + path[i]->key)) return false;
    if (!out.line("")) return false;
  }
  const Topic* t = path.back();
  std::size_t n = t->text.size();
  while (n > 0 && t->text[n - 1].find_first_not_of(" \t") == std::string::npos) --n;
  std::size_t b = 0;
  while (b < n && t->text[b].find_first_not_of(" \t") == std::string::npos) ++b;
  for (std::size_t i = b; i < n; ++i)
    if (!out.line(t->text[i])) return false;
  return list(t->subtopics, "Additional information available:", out);
}

void reach(const std::vector<Topic>& level, const std::vector<std::string>& keys, std::size_t k,
           std::vector<const Topic*>& path, std::vector<std::vector<const Topic*>>& found,
           bool* missing) {
  std::vector<const Topic*> hits;
  for (const auto& t : level) {
    if (upper(t.key) == upper(keys[k])) {  // an exact match wins over abbreviations
      hits.assign(1, &t);
      break;
    }
    if (matches(t.key, keys[k])) hits.push_back(&t);
  }
  if (hits.empty()) {
    *missing = true;
    return;
  }
  for (const Topic* t : hits) {
    path.push_back(t);
    if (k + 1 == keys.size()) {
      found.push_back(path);
    } else {
      reach(t->subtopics, keys, k + 1, path, found, missing);
    }
    path.pop_back();
  }
}

}  // namespace

std::vector<const Topic*> show(const std::vector<Topic>& topics,
                               const std::vector<std::string>& keys, const Output& out,
                               bool* stopped) {
  *stopped = false;
  std::vector<const Topic*> reached;
  if (keys.empty()) {
    *stopped = !list(topics, "Information available:", out);
    return reached;
  }
  std::vector<std::vector<const Topic*>> found;
  std::vector<const Topic*> path;
  bool missing = false;
  reach(topics, keys, 0, path, found, &missing);
  if (found.empty()) {
    // "Sorry, no documentation on ..." and the list at the deepest level reached [V URM73
    // for the sentence; M for the list].
    std::string all;
    for (const auto& k : keys) all += (all.empty() ? "" : " ") + upper(k);
    if (!out.line("") || !out.line("Sorry, no documentation on " + all)) {
      *stopped = true;
      return reached;
    }
    const std::vector<Topic>* level = &topics;
    for (std::size_t k = 0; k + 1 < keys.size(); ++k) {
      const Topic* hit = nullptr;
      for (const auto& t : *level)
        if (matches(t.key, keys[k])) {
          hit = &t;
          break;
        }
      if (hit == nullptr) break;
      level = &hit->subtopics;
    }
    *stopped = !list(*level, "Additional information available:", out);
    return reached;
  }
  for (const auto& p : found) {
    if (!write_topic(p, out)) {
      *stopped = true;
      return reached;
    }
    reached.push_back(p.back());
  }
  return reached;
}

}  // namespace vmssim::hlp
