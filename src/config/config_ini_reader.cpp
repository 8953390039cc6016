#include "config/config_ini_reader.hpp"

#include <ini.h>

#include <algorithm>
#include <cstring>

#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

// inih's notion of whitespace (isspace in the C locale).
bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

std::string_view lskip(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view rstrip(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// inih's find_chars_or_comment: the index of the first of `chars`, or of a ';' that
// follows whitespace (an inline comment); npos when there is neither.
std::size_t find_chars_or_comment(std::string_view s, std::string_view chars) {
  bool was_space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    // `chars` is one or two characters: a loop, not find(), which costs a call per byte.
    for (char c : chars)
      if (s[i] == c) return i;
    if (was_space && s[i] == ';') return i;
    was_space = is_space(s[i]);
  }
  return std::string_view::npos;
}

// What the line just handed to inih was, so that the handler knows what it is given.
enum class LineKind { Ignored, Key, Continuation };

// Feeds inih one line at a time. Every line is classified here the way inih classifies
// it; only well-formed lines reach inih, so that inih never truncates a line or stops
// reporting after its first error, and section names are never cut at 50 bytes.
class IniReader {
 public:
  IniReader(std::string_view text, const std::string& file, SectionFilter keep, bool first_only)
      : text_(text), file_(file), keep_(keep), first_only_(first_only) {
    out_.sections.push_back(RawSection{});  // keys written before any header
    keeping_ = !keep_ || keep_("");
  }

  RawFile run() {
    const int rc = ini_parse_stream(&IniReader::read, this, &IniReader::handle, this);
    if (rc != 0) error(rc > 0 ? rc : 0, "the INI parser failed on this line");
    if (out_.sections.front().keys.empty()) out_.sections.erase(out_.sections.begin());
    return std::move(out_);
  }

 private:
  static char* read(char* str, int num, void* stream) {
    return static_cast<IniReader*>(stream)->next_line(str, num);
  }

  static int handle(void* user, const char*, const char* name, const char* value) {
    static_cast<IniReader*>(user)->on_value(name, value ? value : "");
    return 1;  // errors are recorded by us, never by inih
  }

  char* next_line(char* buf, int num) {
    if (pos_ >= text_.size() || done_) return nullptr;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view raw = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++line_;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::string_view handed = classify(raw, static_cast<std::size_t>(num) - 2);
    if (!handed.empty()) std::memcpy(buf, handed.data(), handed.size());
    buf[handed.size()] = '\n';
    buf[handed.size() + 1] = '\0';
    return buf;
  }

  // Decides what the line is and returns what inih is given for it: the line itself,
  // an empty line (ignored), or "[]" (a header: inih forgets its previous key).
  std::string_view classify(std::string_view raw, std::size_t max_len) {
    kind_ = LineKind::Ignored;
    const std::string_view body = lskip(rstrip(raw));
    const bool indented = body.data() != raw.data();
    if (body.empty() || body.front() == ';' || body.front() == '#') return {};
    if (indented && have_prev_name_) return keeping_ ? continuation(raw, max_len) : "";
    if (body.front() == '[') {
      section(body);
      return "[]";
    }
    if (!keeping_) return skipped_key(body);
    return key(raw, body, max_len);
  }

  // A key line of a section not kept: only what decides the next lines is tracked
  // (whether an indented line continues a key), as key() would.
  std::string_view skipped_key(std::string_view body) {
    const std::size_t sep = find_chars_or_comment(body, "=:");
    const bool valid =
        sep != std::string_view::npos && body[sep] != ';' && !rstrip(body.substr(0, sep)).empty();
    if (valid) have_prev_name_ = true;
    return {};
  }

  std::string_view continuation(std::string_view raw, std::size_t max_len) {
    RawKey* last = last_key();
    if (last == nullptr || last->broken) return {};
    if (!usable(raw, max_len)) {
      last->broken = true;
      return {};
    }
    kind_ = LineKind::Continuation;
    return raw;
  }

  void section(std::string_view body) {
    // The first kept section ends here: nothing after it is wanted.
    if (first_only_ && keep_ && keeping_ && current_ > 0) done_ = true;
    have_prev_name_ = false;
    last_key_ = -1;
    const std::size_t end = find_chars_or_comment(body.substr(1), "]");
    if (end == std::string_view::npos || body[1 + end] != ']') {
      error(line_, "missing ']' at the end of the section header");
      out_.broken_headers.push_back(line_);
      current_ = -1;                // its keys belong to no known section: skip them
      keeping_ = keep_ == nullptr;  // its keys are dropped either way
      return;
    }
    const std::string_view rest = lskip(body.substr(end + 2));
    RawSection s;
    s.name = std::string(lskip(rstrip(body.substr(1, end))));
    s.line = line_;
    keeping_ = !keep_ || keep_(s.name);
    if (keeping_ && !rest.empty() && rest.front() != ';' && rest.front() != '#') {
      error(line_, "unexpected text after ']' in the section header");
    }
    out_.sections.push_back(std::move(s));
    current_ = static_cast<int>(out_.sections.size()) - 1;
  }

  std::string_view key(std::string_view raw, std::string_view body, std::size_t max_len) {
    const std::size_t sep = find_chars_or_comment(body, "=:");
    const std::string_view name =
        sep == std::string_view::npos ? std::string_view{} : rstrip(body.substr(0, sep));
    if (sep == std::string_view::npos || body[sep] == ';') {
      error(line_, "expected 'key = value', a [section] header or a comment");
      last_key_ = -1;  // its continuation lines, if any, are dropped
      return {};
    }
    if (name.empty()) {
      error(line_, "missing key name before '" + std::string(1, body[sep]) + "'");
      last_key_ = -1;
      return {};
    }
    have_prev_name_ = true;
    if (!usable(raw, max_len)) {
      add_key(RawKey{to_lower(name), {}, line_, true});
      return {};
    }
    kind_ = LineKind::Key;
    return raw;
  }

  // Reports a line inih cannot take: longer than its buffer, or holding a NUL byte.
  bool usable(std::string_view raw, std::size_t max_len) {
    if (raw.size() > max_len) {
      error(line_, "line is " + std::to_string(raw.size()) + " characters long; at most " +
                       std::to_string(max_len) +
                       " are allowed (continue a long value on indented lines)");
      return false;
    }
    if (raw.find('\0') != std::string_view::npos) {
      error(line_, "line contains a NUL character");
      return false;
    }
    return true;
  }

  void on_value(const char* name, const char* value) {
    if (kind_ == LineKind::Key) {
      add_key(RawKey{to_lower(name), value, line_, false});
    } else if (kind_ == LineKind::Continuation) {
      append(value);
    }
  }

  void add_key(RawKey k) {
    if (current_ < 0) {
      last_key_ = -1;
      return;
    }
    auto& keys = out_.sections[static_cast<std::size_t>(current_)].keys;
    keys.push_back(std::move(k));
    last_key_ = static_cast<int>(keys.size()) - 1;
  }

  // Joins a continuation line as ConfigParser does, without its inline comment (inih
  // strips those only on the first line of a value).
  void append(std::string_view text) {
    RawKey* last = last_key();
    if (last == nullptr) return;
    const std::size_t c = find_chars_or_comment(text, "");
    text = rstrip(text.substr(0, c));
    if (text.empty()) return;
    if (!last->value.empty()) last->value += '\n';
    last->value += text;
  }

  RawKey* last_key() {
    if (current_ < 0 || last_key_ < 0) return nullptr;
    return &out_.sections[static_cast<std::size_t>(current_)]
                .keys[static_cast<std::size_t>(last_key_)];
  }

  void error(int line, std::string text) {
    Diagnostic d;
    d.level = Diagnostic::Level::Error;
    d.file = file_;
    d.line = line;
    d.text = std::move(text);
    out_.diagnostics.push_back(std::move(d));
  }

  std::string_view text_;
  const std::string& file_;
  SectionFilter keep_;   // nullptr: every section
  bool first_only_;      // stop after the first kept section
  bool done_ = false;    // it has ended: the next read is the end of the text
  bool keeping_ = true;  // the current section is kept
  std::size_t pos_ = 0;
  int line_ = 0;
  bool have_prev_name_ = false;  // inih's "prev_name is set": indented lines continue it
  LineKind kind_ = LineKind::Ignored;
  int current_ = 0;    // index of the current section; -1 after a broken header
  int last_key_ = -1;  // index of the last key in the current section; -1: none
  RawFile out_;
};

}  // namespace

RawFile read_ini(std::string_view text, const std::string& file, SectionFilter keep,
                 bool first_only) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  return IniReader(text, file, keep, first_only).run();
}

}  // namespace sup::config::detail
