// The .CLD reader (see cld.hpp).  Grammar [V VMS-REFERENCE 7.1: statements MODULE, IDENT,
// DEFINE VERB/SYNTAX/TYPE; the clauses listed there]; CLIFLAGS and the like are accepted
// and ignored [G: they change nothing this simulator models].
#include <climsgdef.h>
#include <cctype>

#include "cld.hpp"

namespace vmssim::cld {
namespace {

struct Token {
  enum Kind { kWord, kString, kPunct, kEnd } kind = kEnd;
  std::string text;  // words upcased; strings without quotes; punctuation ",=()"
  int line = 0;
};

bool word_char(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != ',' && c != '=' && c != '(' &&
         c != ')' && c != '"' && c != '!';
}

std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> out;
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '!') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      Token t{Token::kString, "", line};
      ++i;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            t.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        t.text += text[i++];
      }
      out.push_back(t);
    } else if (c == ',' || c == '=' || c == '(' || c == ')') {
      out.push_back(Token{Token::kPunct, std::string(1, c), line});
      ++i;
    } else {
      Token t{Token::kWord, "", line};
      while (i < text.size() && word_char(text[i])) {
        t.text += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
        ++i;
      }
      out.push_back(t);
    }
  }
  out.push_back(Token{Token::kEnd, "", line});
  return out;
}

class Reader {
 public:
  explicit Reader(const std::string& text) : toks_(tokenize(text)) {}

  bool run(Table& t, std::string& error) {
    while (peek().kind != Token::kEnd) {
      if (!statement(t)) {
        error = "line " + std::to_string(err_line_) + ": " + err_;
        return false;
      }
    }
    return true;
  }

 private:
  const Token& peek(std::size_t k = 0) const {
    std::size_t i = pos_ + k < toks_.size() ? pos_ + k : toks_.size() - 1;
    return toks_[i];
  }
  Token take() {
    Token t = peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool is(const char* word, std::size_t k = 0) const {
    return peek(k).kind == Token::kWord && peek(k).text == word;
  }
  bool punct(char c) const { return peek().kind == Token::kPunct && peek().text[0] == c; }
  bool fail(const std::string& why) {
    err_ = why;
    err_line_ = peek().line;
    return false;
  }
  void commas() {
    while (punct(',')) take();
  }
  // A name or a quoted string.
  bool name(std::string& out) {
    if (peek().kind != Token::kWord && peek().kind != Token::kString) return fail("name expected");
    out = take().text;
    return true;
  }
  bool after_equals(std::string& out) {
    if (!punct('=')) return fail("'=' expected");
    take();
    return name(out);
  }

  bool statement(Table& t) {
    commas();
    if (peek().kind == Token::kEnd) return true;
    if (is("MODULE")) {
      take();
      return name(t.module);
    }
    if (is("IDENT")) {
      take();
      return name(t.ident);
    }
    if (is("DEFINE")) {
      take();
      if (is("VERB") || is("SYNTAX")) {
        bool verb = take().text == "VERB";
        Syntax s;
        if (!name(s.name)) return false;
        if (!syntax_body(s)) return false;
        (verb ? t.verbs : t.syntaxes).push_back(s);
        return true;
      }
      if (is("TYPE")) {
        take();
        Type ty;
        if (!name(ty.name)) return false;
        return type_body(ty) && (t.types.push_back(ty), true);
      }
      return fail("DEFINE " + peek().text + " not implemented by this reader");
    }
    return fail("unexpected '" + peek().text + "'");
  }

  bool ends_definition() const {
    return peek().kind == Token::kEnd || is("DEFINE") || is("MODULE") || is("IDENT");
  }

  bool syntax_body(Syntax& s) {
    for (;;) {
      commas();
      if (ends_definition()) return true;
      Token t = take();
      if (t.kind != Token::kWord) return fail("clause expected, not '" + t.text + "'");
      const std::string& w = t.text;
      if (w == "IMAGE") {
        if (!name(s.image)) return false;
      } else if (w == "ROUTINE") {
        if (!name(s.routine)) return false;
      } else if (w == "SYNONYM") {
        std::string n;
        if (!name(n)) return false;
        s.synonyms.push_back(n);
      } else if (w == "PARAMETER") {
        Entity e;
        if (!name(e.name) || !entity(e)) return false;
        s.params.push_back(e);
        s.params_given = true;
      } else if (w == "QUALIFIER") {
        Entity e;
        if (!name(e.name) || !entity(e)) return false;
        s.quals.push_back(e);
        s.quals_given = true;
      } else if (w == "DISALLOW") {
        Expr x;
        if (!expr(x)) return false;
        s.disallows.push_back(x);
        s.disallows_given = true;
      } else if (w == "NOPARAMETERS") {
        s.noparams = s.params_given = true;
      } else if (w == "NOQUALIFIERS") {
        s.noquals = s.quals_given = true;
      } else if (w == "NODISALLOWS") {
        s.disallows_given = true;
      } else if (w == "CLIROUTINE") {  // a CLI-internal routine: recorded as nothing [G]
        std::string ignored;
        if (!name(ignored)) return false;
      } else if (w == "CLIFLAGS" || w == "OUTPUTS") {
        if (punct('(') && !skip_parens()) return false;
      } else {
        return fail("clause " + w + " not implemented by this reader");
      }
    }
  }

  bool type_body(Type& ty) {
    for (;;) {
      commas();
      if (ends_definition()) return true;
      if (!is("KEYWORD")) return fail("KEYWORD expected in DEFINE TYPE, not '" + peek().text + "'");
      take();
      Entity e;
      if (!name(e.name) || !entity(e)) return false;
      ty.keywords.push_back(e);
    }
  }

  bool skip_parens() {
    int depth = 0;
    do {
      if (peek().kind == Token::kEnd) return fail("unbalanced parentheses");
      Token t = take();
      if (t.kind == Token::kPunct && t.text == "(") ++depth;
      if (t.kind == Token::kPunct && t.text == ")") --depth;
    } while (depth > 0);
    return true;
  }

  // The clauses after an entity's name.
  bool entity(Entity& e) {
    for (;;) {
      std::size_t save = pos_;
      commas();
      if (peek().kind != Token::kWord) {
        pos_ = save;
        break;
      }
      const std::string w = peek().text;
      if (w == "LABEL") {
        take();
        if (!after_equals(e.label)) return false;
      } else if (w == "PROMPT") {
        take();
        if (!after_equals(e.prompt)) return false;
      } else if (w == "SYNTAX") {
        take();
        if (!after_equals(e.syntax)) return false;
      } else if (w == "PLACEMENT") {
        take();
        if (!after_equals(e.placement)) return false;
      } else if (w == "DEFAULT") {
        take();
        e.is_default = true;
      } else if (w == "NEGATABLE") {
        take();
        e.negatable = true;
      } else if (w == "NONNEGATABLE") {
        take();
        e.negatable = false;
      } else if (w == "BATCH" || w == "NOBATCH") {
        take();
      } else if (w == "VALUE") {
        take();
        e.value.present = true;
        if (punct('(') && !value(e.value)) return false;
      } else {
        pos_ = save;
        break;
      }
    }
    if (e.label.empty()) e.label = e.name;
    return true;
  }

  bool value(ValueClause& v) {
    take();  // (
    for (;;) {
      commas();
      if (punct(')')) {
        take();
        return true;
      }
      if (peek().kind != Token::kWord) return fail("VALUE clause expected");
      std::string w = take().text;
      if (w == "REQUIRED") {
        v.required = true;
      } else if (w == "LIST") {
        v.list = true;
      } else if (w == "CONCATENATE") {
        v.concatenate = true;
      } else if (w == "NOCONCATENATE") {
        v.concatenate = false;
      } else if (w == "TYPE") {
        if (!after_equals(v.type)) return false;
      } else if (w == "DEFAULT") {
        if (!punct('=')) return fail("'=' expected");
        take();
        if (punct('(')) {
          take();
          while (!punct(')')) {
            commas();
            std::string d;
            if (!name(d)) return false;
            v.defaults.push_back(d);
            commas();
          }
          take();
        } else {
          std::string d;
          if (!name(d)) return false;
          v.defaults.push_back(d);
        }
      } else {
        return fail("VALUE clause " + w + " not implemented by this reader");
      }
    }
  }

  // DISALLOW expressions: OR of ANDs of [NOT|NEG] primaries [V HELP CDU].
  bool expr(Expr& out) {
    Expr left;
    if (!conj(left)) return false;
    while (is("OR")) {
      take();
      Expr right;
      if (!conj(right)) return false;
      Expr x;
      x.kind = Expr::kOr;
      x.kids = {left, right};
      left = x;
    }
    out = left;
    return true;
  }
  bool conj(Expr& out) {
    Expr left;
    if (!unary(left)) return false;
    while (is("AND")) {
      take();
      Expr right;
      if (!unary(right)) return false;
      Expr x;
      x.kind = Expr::kAnd;
      x.kids = {left, right};
      left = x;
    }
    out = left;
    return true;
  }
  bool unary(Expr& out) {
    if (is("NOT") || is("NEG")) {
      out.kind = take().text == "NOT" ? Expr::kNot : Expr::kNeg;
      Expr k;
      if (!unary(k)) return false;
      out.kids = {k};
      return true;
    }
    if (is("ANY2") && peek(1).kind == Token::kPunct && peek(1).text == "(") {
      take();
      take();
      out.kind = Expr::kAny2;
      while (!punct(')')) {
        commas();
        if (punct(')')) break;
        Expr k;
        if (!expr(k)) return false;
        out.kids.push_back(k);
      }
      take();
      return true;
    }
    if (punct('(')) {
      take();
      if (!expr(out)) return false;
      if (!punct(')')) return fail("')' expected");
      take();
      return true;
    }
    if (peek().kind != Token::kWord) return fail("entity expected in DISALLOW");
    out.kind = Expr::kName;
    out.name = take().text;
    if (out.name.size() > 2 && out.name.front() == '<' && out.name.back() == '>')
      out.name = out.name.substr(1, out.name.size() - 2);
    return true;
  }

  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  std::string err_;
  int err_line_ = 0;
};

}  // namespace

const Type* Table::find_type(const std::string& name) const {
  for (const auto& t : types)
    if (t.name == name) return &t;
  return nullptr;
}

const Syntax* Table::find_syntax(const std::string& name) const {
  for (const auto& s : syntaxes)
    if (s.name == name) return &s;
  return nullptr;
}

bool parse_cld(const std::string& text, Table& out, std::string& error) {
  Reader r(text);
  if (!r.run(out, error)) return false;
  if (out.verbs.empty() && out.syntaxes.empty() && out.types.empty()) {
    error = "no definitions";
    return false;
  }
  return true;
}

}  // namespace vmssim::cld
