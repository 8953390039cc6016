// The DCL command parser over a .CLD table (see cld.hpp).  Rules [V HELP-CLI,
// VMS-REFERENCE 7.4 unless marked]: abbreviation by unique prefix, verbs significant to 4
// characters [M], NO prefix negation, unquoted values upcased and quoted ones kept,
// comma lists and + concatenation, keyword values and keyword paths (ACTION.START), a
// keyword's SYNTAX= replacing the verb's definition (its IMAGE/ROUTINE inherited) [V 7.1],
// DISALLOW with defaulted entities counting as present [M].
#include <climsgdef.h>

#include <cctype>
#include <set>

#include "cld.hpp"
#include "cli_status.hpp"

namespace vmssim::cld {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool starts_with(const std::string& full, const std::string& abbrev) {
  return !abbrev.empty() && abbrev.size() <= full.size() &&
         full.compare(0, abbrev.size(), abbrev) == 0;
}

// Unique-prefix lookup over `names`; -1 none, -2 ambiguous.  An exact match wins.
int lookup(const std::vector<std::string>& names, const std::string& word) {
  int found = -1;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == word) return static_cast<int>(i);
    if (starts_with(names[i], word)) found = found == -1 ? static_cast<int>(i) : -2;
  }
  return found;
}

struct Item {
  std::string text;  // as typed, quotes included
  bool quoted = false;
};

class Parser {
 public:
  Parser(const Table& t, const std::string& line, Parse& out, std::string& detail)
      : t_(t), line_(line), out_(out), detail_(detail) {}

  std::uint32_t run() {
    std::size_t b = line_.find_first_not_of(" \t");
    if (b == std::string::npos) return CLI$_NOCOMD;
    std::size_t e = b;
    while (e < line_.size() && !std::isspace(static_cast<unsigned char>(line_[e])) &&
           line_[e] != '/')
      ++e;
    std::string verb = upper(line_.substr(b, e - b));
    if (!std::isalpha(static_cast<unsigned char>(verb[0])) && verb[0] != '$' && verb[0] != '_')
      return CLI$_NOCOMD;
    // Verbs: unique prefix, only the first 4 characters significant [M].
    std::string key = verb.size() > 4 ? verb.substr(0, 4) : verb;
    const Syntax* found = nullptr;
    int matches = 0;
    for (const auto& v : t_.verbs) {
      std::vector<std::string> names{v.name};
      names.insert(names.end(), v.synonyms.begin(), v.synonyms.end());
      for (const auto& n : names) {
        if (n == verb) {
          found = &v;
          matches = 1;
          goto done;
        }
        if (starts_with(n, key) && (verb.size() <= 4 || starts_with(n, verb) || n.size() >= 4)) {
          if (found != &v) ++matches;
          found = &v;
        }
      }
    }
  done:
    detail_ = verb;
    if (!found) return CLI$_IVVERB;
    if (matches > 1) return cli::kAbverb;
    out_.table = &t_;
    out_.verb = found->name;
    verb_ = found;
    start_ = e;
    std::size_t r = line_.find_first_not_of(" \t", e);
    out_.rest = r == std::string::npos ? "" : line_.substr(r);
    detail_.clear();
    const Syntax* s = found;
    std::set<const Syntax*> seen;
    for (;;) {
      seen.insert(s);
      const Syntax* next = nullptr;
      std::uint32_t st = parse_with(s, next);
      if (st != CLI$_NORMAL) return st;
      if (next == nullptr || seen.count(next)) break;
      s = next;
    }
    return finish();
  }

 private:
  // The effective parts of syntax `s` (a syntax inherits what it does not define [M]).
  const std::vector<Entity>& params(const Syntax* s) const {
    return s->params_given || s == verb_ ? s->params : verb_->params;
  }
  const std::vector<Entity>& quals(const Syntax* s) const {
    return s->quals_given || s == verb_ ? s->quals : verb_->quals;
  }

  void declare(const std::string& key, const std::vector<std::string>& aliases) {
    out_.entities[key];
    for (const auto& a : aliases) {
      auto it = out_.names.find(a);
      if (it == out_.names.end()) {
        out_.names[a] = key;
      } else if (it->second != key && a.find('.') == std::string::npos) {
        ambiguous_.insert(a);  // a bare keyword name shared by two paths: needs its path
      }
    }
  }

  void declare_keywords(const Entity& parent, const std::string& parent_key) {
    const Type* ty = t_.find_type(parent.value.type);
    if (!ty) return;
    for (const auto& k : ty->keywords) {
      std::string key = parent_key + "." + k.label;
      declare(key, {key, parent.name + "." + k.name, parent.label + "." + k.name, k.label, k.name});
    }
  }

  void reset(const Syntax* s) {
    out_.syntax = s;
    out_.entities.clear();
    out_.names.clear();
    ambiguous_.clear();
    for (const auto& p : params(s)) {
      declare(p.label, {p.label, p.name});
      declare_keywords(p, p.label);
    }
    for (const auto& q : quals(s)) {
      declare(q.label, {q.label, q.name});
      declare_keywords(q, q.label);
    }
    for (const auto& a : ambiguous_) out_.names.erase(a);
  }

  char at(std::size_t i) const { return i < line_.size() ? line_[i] : '\0'; }
  void skip_ws() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }

  // One value: a quoted string, or text up to a delimiter (a parenthesized group stays).
  bool scan_value(Item& it) {
    it = Item();
    if (at(pos_) == '"') {
      it.quoted = true;
      ++pos_;
      while (pos_ < line_.size()) {
        if (line_[pos_] == '"') {
          if (at(pos_ + 1) == '"') {
            it.text += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          return true;
        }
        it.text += line_[pos_++];
      }
      return false;  // unterminated
    }
    int depth = 0;
    while (pos_ < line_.size()) {
      char c = line_[pos_];
      if (depth == 0 && (c == ' ' || c == '\t' || c == '/' || c == ',' || c == '+' || c == ')'))
        break;
      if (c == '(') ++depth;
      if (c == ')') --depth;
      it.text += c;
      ++pos_;
    }
    it.text = upper(it.text);
    return !it.text.empty();
  }

  // A list: v [, v | + v]... ; in parentheses when `parens`.
  std::uint32_t scan_list(std::vector<Value>& out, bool parens) {
    if (parens) ++pos_;
    for (;;) {
      skip_ws();
      Item it;
      if (!scan_value(it)) {
        detail_ = line_.substr(pos_);
        return cli::kIvvalu;
      }
      out.push_back(Value{it.text, 0});
      skip_ws();
      char c = at(pos_);
      if (c == ',' || c == '+') {
        out.back().sep = c;
        ++pos_;
        continue;
      }
      if (parens) {
        if (c != ')') {
          detail_ = line_.substr(pos_);
          return cli::kIvvalu;
        }
        ++pos_;
      }
      return CLI$_NORMAL;
    }
  }

  // Keyword values of an entity whose VALUE TYPE is a DEFINE TYPE: each value becomes the
  // keyword's full name, and its path entity is set.
  std::uint32_t keywords(const Entity& parent, const std::string& parent_key,
                         std::vector<Value>& values, const Syntax*& next) {
    const Type* ty = t_.find_type(parent.value.type);
    if (!ty) return CLI$_NORMAL;
    std::vector<std::string> names;
    for (const auto& k : ty->keywords) names.push_back(k.name);
    for (auto& v : values) {
      std::string word = v.text, arg;
      std::size_t eq = word.find('=');
      if (eq != std::string::npos) {
        arg = word.substr(eq + 1);
        word = word.substr(0, eq);
      }
      bool negated = false;
      int k = lookup(names, word);
      if (k == -1 && word.size() > 2 && word.compare(0, 2, "NO") == 0) {
        k = lookup(names, word.substr(2));
        negated = k >= 0;
      }
      detail_ = v.text;
      if (k == -1) return cli::kIvkeyw;
      if (k == -2) return cli::kAbkeyw;
      const Entity& kw = ty->keywords[static_cast<std::size_t>(k)];
      if (negated && !kw.negatable) return cli::kNotneg;
      EntityState& ks = out_.entities[parent_key + "." + kw.label];
      ks.present = true;
      ks.negated = negated;
      if (!arg.empty()) {
        if (!kw.value.present) return cli::kNovalu;
        std::size_t save = pos_;
        std::string saved_line = line_;
        line_ = arg;
        pos_ = 0;
        std::uint32_t st = scan_list(ks.values, arg[0] == '(');
        line_ = saved_line;
        pos_ = save;
        if (st != CLI$_NORMAL) return st;
      } else if (kw.value.present && kw.value.required && !negated) {
        return CLI$_VALREQ;
      }
      v.text = kw.name;
      detail_.clear();
      if (!negated && !kw.syntax.empty()) {
        const Syntax* s = t_.find_syntax(kw.syntax);
        if (!s) {
          detail_ = kw.syntax;
          return cli::kIvkeyw;  // a SYNTAX= naming no DEFINE SYNTAX: the table is broken
        }
        if (s != out_.syntax) next = s;
      }
    }
    return CLI$_NORMAL;
  }

  std::uint32_t check_value(const Entity& e, const std::vector<Value>& values) {
    if (values.size() > 1) {
      for (std::size_t i = 0; i + 1 < values.size(); ++i) {
        if ((values[i].sep == ',' && !e.value.list) ||
            (values[i].sep == '+' && !e.value.concatenate)) {
          detail_ = values[i + 1].text;
          return cli::kOneval;
        }
      }
    }
    if (e.value.type == "$NUMBER") {
      for (const auto& v : values) {
        std::string n = v.text;
        if (!n.empty() && (n[0] == '-' || n[0] == '+')) n = n.substr(1);
        bool ok = !n.empty();
        if (n.size() > 2 && n[0] == '%' && (n[1] == 'X' || n[1] == 'O' || n[1] == 'D')) {
          for (std::size_t i = 2; i < n.size(); ++i)
            ok = ok && (n[1] == 'X' ? std::isxdigit(static_cast<unsigned char>(n[i])) != 0
                                    : std::isdigit(static_cast<unsigned char>(n[i])) != 0);
        } else {
          for (char c : n) ok = ok && std::isdigit(static_cast<unsigned char>(c)) != 0;
        }
        if (!ok) {
          detail_ = v.text;
          return cli::kIvvalu;
        }
      }
    }
    return CLI$_NORMAL;
  }

  std::uint32_t parse_with(const Syntax* s, const Syntax*& next) {
    reset(s);
    next = nullptr;
    pos_ = start_;
    std::size_t param = 0;
    const auto& ps = params(s);
    const auto& qs = quals(s);
    std::vector<std::string> qnames;
    for (const auto& q : qs) qnames.push_back(q.name);
    for (;;) {
      skip_ws();
      if (pos_ >= line_.size()) break;
      if (line_[pos_] == '/') {
        ++pos_;
        std::size_t b = pos_;
        while (pos_ < line_.size() && (std::isalnum(static_cast<unsigned char>(line_[pos_])) ||
                                       line_[pos_] == '_' || line_[pos_] == '$'))
          ++pos_;
        std::string word = upper(line_.substr(b, pos_ - b));
        bool negated = false;
        int k = lookup(qnames, word);
        if (k == -1 && word.size() > 2 && word.compare(0, 2, "NO") == 0) {
          k = lookup(qnames, word.substr(2));
          negated = k >= 0;
        }
        detail_ = word;
        if (k == -1 || s->noquals) return cli::kIvqual;
        if (k == -2) return cli::kAbkeyw;
        const Entity& q = qs[static_cast<std::size_t>(k)];
        if (negated && !q.negatable) return cli::kNotneg;
        EntityState& st = out_.entities[q.label];
        st = EntityState();
        st.present = true;
        st.negated = negated;
        st.local = param > 0 && q.placement != "GLOBAL";
        skip_ws();
        if (at(pos_) == '=' || at(pos_) == ':') {
          ++pos_;
          skip_ws();
          if (!q.value.present || negated) return cli::kNovalu;
          std::uint32_t r = scan_list(st.values, at(pos_) == '(');
          if (r != CLI$_NORMAL) return r;
          if ((r = check_value(q, st.values)) != CLI$_NORMAL) return r;
          if ((r = keywords(q, q.label, st.values, next)) != CLI$_NORMAL) return r;
          if (next) return CLI$_NORMAL;
        } else if (q.value.present && !negated) {
          if (q.value.required) return CLI$_VALREQ;
          for (const auto& d : q.value.defaults) st.values.push_back(Value{upper(d), ','});
          if (!st.values.empty()) st.values.back().sep = 0;
        }
        if (!negated && !q.syntax.empty()) {
          const Syntax* sy = t_.find_syntax(q.syntax);
          if (sy && sy != s) {
            next = sy;
            return CLI$_NORMAL;
          }
        }
        detail_.clear();
        continue;
      }
      // A parameter.
      if (param >= ps.size() || s->noparams) {
        detail_ = line_.substr(pos_);
        return cli::kMaxparm;
      }
      const Entity& p = ps[param++];
      EntityState& st = out_.entities[p.label];
      st.present = true;
      if (p.value.type == "$REST_OF_LINE") {
        st.values.push_back(Value{line_.substr(pos_), 0});
        pos_ = line_.size();
        continue;
      }
      std::uint32_t r = scan_list(st.values, false);
      if (r != CLI$_NORMAL) return r;
      if ((r = check_value(p, st.values)) != CLI$_NORMAL) return r;
      if ((r = keywords(p, p.label, st.values, next)) != CLI$_NORMAL) return r;
      if (next) return CLI$_NORMAL;
    }
    return CLI$_NORMAL;
  }

  bool eval(const Expr& x) {
    switch (x.kind) {
      case Expr::kName: {
        auto n = out_.names.find(x.name);
        if (n == out_.names.end()) return false;
        const EntityState& e = out_.entities[n->second];
        return (e.present && !e.negated) || e.defaulted;
      }
      case Expr::kNeg: {
        if (x.kids.empty() || x.kids[0].kind != Expr::kName) return false;
        auto n = out_.names.find(x.kids[0].name);
        return n != out_.names.end() && out_.entities[n->second].negated;
      }
      case Expr::kNot:
        return !eval(x.kids[0]);
      case Expr::kAnd:
        return eval(x.kids[0]) && eval(x.kids[1]);
      case Expr::kOr:
        return eval(x.kids[0]) || eval(x.kids[1]);
      case Expr::kAny2: {
        int n = 0;
        for (const auto& k : x.kids) n += eval(k) ? 1 : 0;
        return n >= 2;
      }
    }
    return false;
  }

  std::uint32_t finish() {
    const Syntax* s = out_.syntax;
    for (const auto& p : params(s)) {
      EntityState& st = out_.entities[p.label];
      if (!st.present && p.value.required) {
        detail_ = p.prompt.empty() ? p.name : p.prompt;
        return CLI$_INSFPRM;
      }
      if (!st.present && !p.value.defaults.empty()) {
        st.defaulted = true;
        for (const auto& d : p.value.defaults) st.values.push_back(Value{upper(d), ','});
        st.values.back().sep = 0;
      }
    }
    for (const auto& q : quals(s)) {
      EntityState& st = out_.entities[q.label];
      if (!st.present && q.is_default) {
        st.defaulted = true;
        for (const auto& d : q.value.defaults) st.values.push_back(Value{upper(d), ','});
        if (!st.values.empty()) st.values.back().sep = 0;
      }
    }
    const auto& dis = s->disallows_given || s == verb_ ? s->disallows : verb_->disallows;
    for (const auto& d : dis) {
      if (eval(d)) return CLI$_CONFLICT;
    }
    return CLI$_NORMAL;
  }

  const Table& t_;
  std::string line_;
  Parse& out_;
  std::string& detail_;
  const Syntax* verb_ = nullptr;
  std::size_t start_ = 0, pos_ = 0;
  std::set<std::string> ambiguous_;
};

}  // namespace

std::string Parse::image() const {
  if (syntax && !syntax->image.empty()) return syntax->image;
  if (table)
    for (const auto& v : table->verbs)
      if (v.name == verb) return v.image;
  return "";
}

std::uint32_t parse_command(const Table& table, const std::string& line, Parse& out,
                            std::string& detail) {
  Parser p(table, line, out, detail);
  return p.run();
}

}  // namespace vmssim::cld
