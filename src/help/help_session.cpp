#include "help/help_session.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "help/hlp_match.hpp"

namespace sup::help {
namespace {

constexpr std::string_view kEllipsis = "...";

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string join_keys(const std::vector<const Topic*>& path) {
  std::string out;
  for (const Topic* t : path) {
    if (!out.empty()) out += ' ';
    out += t->key;
  }
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

HelpSession::HelpSession(const Library& library, LineSink out, LineSource in,
                         SessionOptions options)
    : library_(library), out_(std::move(out)), in_(std::move(in)), options_(options) {}

HelpOutcome HelpSession::run(const std::vector<std::string>& keys) {
  level_.clear();
  // Each key is split as a typed line is: "start/wait" is two keys, as on VMS.
  std::vector<std::string> words;
  for (const auto& key : keys) {
    for (auto& word : split_keys(key)) words.push_back(std::move(word));
  }
  HelpOutcome outcome = HelpOutcome::kFound;
  if (words.empty()) {
    show_list(library_.root, "Information available:");
  } else {
    const auto r = resolve(level_, words);
    show(r);
    level_ = level_after(r);
    if (r.matches.empty()) outcome = HelpOutcome::kNotFound;
  }
  if (options_.interactive) interact();
  return outcome;
}

HelpSession::Resolution HelpSession::resolve(const Path& from,
                                             const std::vector<std::string>& keys) const {
  Resolution r;
  std::vector<Path> current{from};
  for (const auto& key : keys) {
    if (key == kEllipsis) {
      r.recursive = true;
      continue;
    }
    std::vector<Path> next;
    for (const auto& path : current) {
      for (const Topic* match : match_key(node(path), key)) {
        next.push_back(path);
        next.back().push_back(match);
      }
    }
    if (next.empty()) {
      r.failed_at = current.front();
      r.failed_key = key;
      return r;
    }
    current = std::move(next);
  }
  r.matches = std::move(current);
  return r;
}

void HelpSession::show(const Resolution& r) {
  printed_.clear();
  if (r.matches.empty()) return show_not_found(r);
  for (const auto& path : r.matches) {
    if (path.empty()) {
      // "..." alone at the top: the whole library.
      for (const auto& topic : library_.root.subtopics) show_topic({&topic}, true);
    } else {
      show_topic(path, r.recursive);
    }
  }
  blank();
}

void HelpSession::show_topic(const Path& path, bool recursive) {
  show_headers(path);
  const Topic& topic = *path.back();
  if (!topic.text.empty()) {
    blank();
    for (const auto& text : topic.text) line(text);
  }
  if (!recursive) return show_list(topic, "Additional information available:");
  for (const auto& sub : topic.subtopics) {
    Path child = path;
    child.push_back(&sub);
    show_topic(child, true);
  }
}

// Shows the keys of `path` that the current request has not shown yet, each indented
// by its depth, so that sibling topics share their parents' headers.
void HelpSession::show_headers(const Path& path) {
  std::size_t common = 0;
  while (common < path.size() && common < printed_.size() && path[common] == printed_[common]) {
    ++common;
  }
  for (std::size_t i = common; i < path.size(); ++i) {
    blank();
    line(std::string(2 * i, ' ') + path[i]->key);
  }
  printed_ = path;
}

void HelpSession::show_list(const Topic& topic, std::string_view heading) {
  const auto entries = listing_entries(topic);
  if (entries.empty()) return;
  std::vector<std::string> names;
  for (const Topic* e : entries) names.push_back(e->key);
  blank();
  line(std::string(kHelpListIndent, ' ') + std::string(heading));
  blank();
  for (const auto& row : format_columns(names, options_.width)) line(row);
  blank();
}

void HelpSession::show_not_found(const Resolution& r) {
  std::string what = join_keys(r.failed_at);
  if (!what.empty()) what += ' ';
  what += to_upper(r.failed_key);
  blank();
  line("Sorry, no documentation on " + what);
  show_list(node(r.failed_at), "Additional information available:");
  blank();
}

// Where the prompt goes after a request: the topic shown when it has subtopics, else
// its parent; after several topics, the level they share; after a failure, the level
// where it failed.
HelpSession::Path HelpSession::level_after(const Resolution& r) const {
  if (r.matches.empty()) return r.failed_at;
  Path level = r.matches.front();
  for (const auto& path : r.matches) {
    const auto diff = std::mismatch(level.begin(), level.end(), path.begin(), path.end());
    level.erase(diff.first, level.end());
  }
  if (!level.empty() && listing_entries(*level.back()).empty()) level.pop_back();
  return level;
}

void HelpSession::interact() {
  if (!in_) return;
  for (;;) {
    const auto input = in_(prompt());
    last_blank_ = false;  // the terminal shows the prompt and the answer on one line
    if (!input) return;
    const auto text = trim(*input);
    if (text.empty()) {
      if (level_.empty()) return;
      level_.pop_back();
    } else if (text == "?") {
      show_list(node(level_),
                level_.empty() ? "Information available:" : "Additional information available:");
    } else {
      const auto r = resolve(level_, split_keys(text));
      show(r);
      level_ = level_after(r);
    }
  }
}

std::string HelpSession::prompt() const {
  return level_.empty() ? std::string("Topic? ") : join_keys(level_) + " Subtopic? ";
}

const Topic& HelpSession::node(const Path& path) const {
  return path.empty() ? library_.root : *path.back();
}

void HelpSession::line(std::string_view text) {
  out_(text);
  last_blank_ = text.empty();
}

void HelpSession::blank() {
  if (!last_blank_) line("");
}

}  // namespace sup::help
