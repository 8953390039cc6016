// The CLD grammar (Boost.Spirit X3).  The grammar only recognises the text; semantic
// actions hand every piece to detail::Builder, which builds the model.  Clauses are
// keyword-led, so a clause list simply runs until the next word that is not a clause of
// the current kind; commas between clauses are optional, newlines are plain white space.
//
//   file       := { [","] statement } EOF
//   statement  := MODULE name | IDENT text | DEFINE (VERB|SYNTAX|TYPE) name | clause
//   clause     := PARAMETER name {[","] eclause} | QUALIFIER name {...} | KEYWORD name {...}
//               | DISALLOW expr | IMAGE text | ROUTINE name | CLIROUTINE name | SYNONYM name
//               | NOPARAMETERS | NOQUALIFIERS | NODISALLOWS
//   eclause    := VALUE [ "(" vclause {"," vclause} ")" ] | LABEL=name | PROMPT=text
//               | [NON]NEGATABLE | DEFAULT | BATCH | PLACEMENT=kind | SYNTAX=name
//   vclause    := REQUIRED | LIST | [NO]CONCATENATE | DEFAULT=text|(text,...) | TYPE=name
//   expr       := and {OR and};  and := primary {AND primary}
//   primary    := "(" expr ")" | NOT primary | NEG primary | ANY2 "(" entity {"," entity} ")"
//               | entity
//   name       := (letter | digit | "_" | "$") {letter | digit | "_" | "$"}
// A line whose first non-blank character is "#" is C-preprocessor input, which CDU does
// not read: it is refused before the grammar runs (detail::check_preprocessor).
#include "cli/cld_parser.hpp"

#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <functional>
#include <type_traits>

#include "cli/cld_builder.hpp"
#include "cli/cld_validate.hpp"

namespace sup::cli::cld {
namespace {
namespace x3 = boost::spirit::x3;
using detail::Builder;
using detail::EntityKind;

struct BuilderTag;

template <typename Ctx>
Builder& builder(Ctx& ctx) {
  return x3::get<BuilderTag>(ctx).get();
}

// Wraps a Builder member (or lambda) as a semantic action.  It receives the builder, the
// matched attribute when it wants one, and the line where the match starts.
template <typename F>
auto call(F f) {
  return [f](auto& ctx) {
    Builder& b = builder(ctx);
    const int line = b.line_of(x3::_where(ctx).begin());
    const auto& attr = x3::_attr(ctx);
    using A = std::decay_t<decltype(attr)>;
    if constexpr (std::is_invocable_v<F, Builder&, const A&, int>) {
      std::invoke(f, b, attr, line);
    } else if constexpr (std::is_invocable_v<F, Builder&, const A&>) {
      std::invoke(f, b, attr);
    } else if constexpr (std::is_invocable_v<F, Builder&, int>) {
      std::invoke(f, b, line);
    } else if constexpr (std::is_invocable_v<F, Builder&>) {
      std::invoke(f, b);
    }
    // Otherwise nothing: clang instantiates actions while X3 probes attribute types; with
    // the real attribute one of the forms above always fits (the tests see every action).
  };
}

// A CLD keyword: case-insensitive and a whole word ("DEFAULT" is not "DEFAULTS").
auto kw(const char* word) {
  return x3::lexeme[x3::no_case[x3::lit(word)] >> !(x3::alnum | x3::char_("_$"))];
}

// White space and comments, with explicit character sets: X3's classes assert on bytes
// above 0x7F, which may appear in comments and quoted strings (check_ascii keeps them
// out of everywhere else).
const auto blank = x3::char_(" \t\r\n\f\v");
const auto skipper = blank | x3::lexeme['!' >> *(x3::char_ - '\n')];

// Names, keywords' names included, may start with a digit (KEYWORD 1, LEVEL.0.DEFLATE).
const auto name_char = x3::alnum | x3::char_("_$");
const auto name = x3::rule<class NameId, std::string>{"a name"} = x3::lexeme[+name_char];
const auto quoted = x3::rule<class QuotedId, std::string>{"a quoted string"} =
    x3::lexeme['"' > *((x3::lit("\"\"") >> x3::attr('"')) | ~x3::char_('"')) > '"'];
const auto word = x3::rule<class WordId, std::string>{"a word"} =
    x3::lexeme[+(x3::char_ - blank - x3::char_(",!()\""))];
const auto text = x3::rule<class TextId, std::string>{"a quoted string or a word"} = quoted | word;
const auto entity_path = x3::rule<class PathId, std::string>{"an entity name"} =
    x3::lexeme[-x3::lit('<') >> name_char >> *(x3::alnum | x3::char_("_$.")) >> -x3::lit('>')];

// Every parser that follows an expectation (">") is a named rule: X3 names an unnamed
// parser in its error by its C++ type, which must never reach a user.
const auto label_name = x3::rule<class LabelNameId>{"a label name"} =
    name[call(&Builder::set_label)];
const auto type_name = x3::rule<class TypeNameId>{"a type name"} = name[call(&Builder::value_type)];
const auto syntax_name = x3::rule<class SyntaxNameId>{"a syntax name"} =
    name[call(&Builder::set_syntax)];
const auto prompt_text = x3::rule<class PromptId>{"a prompt string"} =
    text[call(&Builder::set_prompt)];
const auto image_text = x3::rule<class ImageId>{"an image name"} = text[call(&Builder::set_image)];
const auto routine_name = x3::rule<class RoutineId>{"a routine name"} =
    name[call(&Builder::set_routine)];
const auto cli_routine_name = x3::rule<class CliRoutineId>{"a routine name"} =
    name[call(&Builder::set_cli_routine)];
const auto synonym_name = x3::rule<class SynonymId>{"a verb name"} =
    name[call(&Builder::add_synonym)];
const auto module_name = x3::rule<class ModuleId>{"a module name"} =
    name[call(&Builder::set_module)];
const auto ident_text = x3::rule<class IdentId>{"an identification string"} =
    text[call(&Builder::set_ident)];

// --- VALUE(...) and the other clauses of a parameter, qualifier or keyword.
const auto default_list = x3::rule<class DefaultListId>{"a list of values"} =
    text[call(&Builder::value_default)] % ',';
const auto default_value = x3::rule<class DefaultId>{"a value or a list of values in \"()\""} =
    ('(' > default_list > ')') | text[call(&Builder::value_default)];
const auto value_clause_item = x3::rule<class ValueItemId>{"a VALUE clause"} =
    kw("REQUIRED")[call(&Builder::value_required)] | kw("LIST")[call(&Builder::value_list)] |
    kw("NOCONCATENATE")[call([](Builder& b) { b.value_concatenate(false); })] |
    kw("CONCATENATE")[call([](Builder& b) { b.value_concatenate(true); })] |
    (kw("DEFAULT") > '=' > default_value) | (kw("TYPE") > '=' > type_name);
const auto value_clause_list = x3::rule<class ValueListId>{"VALUE clauses"} =
    -(value_clause_item % ',');
const auto value_clause = kw("VALUE")[call(&Builder::value_on)] >> -('(' > value_clause_list > ')');

const auto placement = x3::rule<class PlacementId>{"GLOBAL, LOCAL or POSITIONAL"} =
    kw("GLOBAL")[call([](Builder& b, int l) { b.set_placement(Placement::Global, l); })] |
    kw("LOCAL")[call([](Builder& b, int l) { b.set_placement(Placement::Local, l); })] |
    kw("POSITIONAL")[call([](Builder& b, int l) { b.set_placement(Placement::Positional, l); })];

const auto entity_clause =
    value_clause | (kw("LABEL") > '=' > label_name) | (kw("PROMPT") > '=' > prompt_text) |
    kw("NEGATABLE")[call([](Builder& b, int l) { b.set_negatable(true, l); })] |
    kw("NONNEGATABLE")[call([](Builder& b, int l) { b.set_negatable(false, l); })] |
    kw("DEFAULT")[call(&Builder::set_default)] | kw("BATCH")[call(&Builder::set_batch)] |
    (kw("PLACEMENT") > '=' > placement) | (kw("SYNTAX") > '=' > syntax_name);

template <EntityKind Kind, typename Id>
auto entity(const char* keyword, const char* what) {
  auto begin = [](Builder& b, const std::string& n, int l) { b.begin_entity(Kind, n, l); };
  const auto entity_name = x3::rule<Id>{what} = name[call(begin)];
  return (kw(keyword) > entity_name) >> *(-x3::lit(',') >> entity_clause);
}

// --- DISALLOW expressions (recursive, hence declared rules).
const x3::rule<class ExprId> expr = "a DISALLOW expression";
const x3::rule<class PrimaryId> primary = "an entity, NOT, NEG, ANY2 or \"(\"";

const auto entity_list = x3::rule<class EntityListId>{"a list of entity names"} =
    entity_path[call(&Builder::push_entity)] % ',';
const auto any2 =
    (kw("ANY2")[call(&Builder::begin_any2)] > '(' > entity_list > ')')[call(&Builder::end_any2)];
const auto primary_def =
    ('(' > expr > ')') | any2 |
    (kw("NOT") > primary)[call([](Builder& b, int l) { b.apply_unary(Expr::Op::Not, l); })] |
    (kw("NEG") > primary)[call([](Builder& b, int l) { b.apply_unary(Expr::Op::Neg, l); })] |
    entity_path[call(&Builder::push_entity)];
const auto and_expr = x3::rule<class AndId>{"an entity, NOT, NEG, ANY2 or \"(\""} =
    primary >>
    *((kw("AND") > primary)[call([](Builder& b, int l) { b.apply_binary(Expr::Op::And, l); })]);
const auto expr_def =
    and_expr >>
    *((kw("OR") > and_expr)[call([](Builder& b, int l) { b.apply_binary(Expr::Op::Or, l); })]);
BOOST_SPIRIT_DEFINE(expr, primary)

// --- Clauses and statements.
const auto clause = x3::rule<class ClauseId>{"a clause"} =
    entity<EntityKind::Parameter, class ParamNameId>("PARAMETER", "a parameter name") |
    entity<EntityKind::Qualifier, class QualNameId>("QUALIFIER", "a qualifier name") |
    entity<EntityKind::Keyword, class KeywordNameId>("KEYWORD", "a keyword name") |
    (kw("DISALLOW") > expr)[call(&Builder::finish_disallow)] | (kw("IMAGE") > image_text) |
    (kw("ROUTINE") > routine_name) | (kw("CLIROUTINE") > cli_routine_name) |
    (kw("SYNONYM") > synonym_name) | kw("NOPARAMETERS")[call(&Builder::set_no_parameters)] |
    kw("NOQUALIFIERS")[call(&Builder::set_no_qualifiers)] |
    kw("NODISALLOWS")[call(&Builder::set_no_disallows)];

const auto verb_name = x3::rule<class VerbNameId>{"a verb name"} =
    name[call([](Builder& b, const std::string& n, int l) {
      b.begin_definition(Definition::Kind::Verb, n, l);
    })];
const auto syntax_def_name = x3::rule<class SyntaxDefId>{"a syntax name"} =
    name[call([](Builder& b, const std::string& n, int l) {
      b.begin_definition(Definition::Kind::Syntax, n, l);
    })];
const auto type_def_name = x3::rule<class TypeDefId>{"a type name"} =
    name[call(&Builder::begin_type)];
const auto define_what = x3::rule<class DefineId>{"VERB, SYNTAX or TYPE"} =
    (kw("VERB") > verb_name) | (kw("SYNTAX") > syntax_def_name) | (kw("TYPE") > type_def_name);

const auto statement = (kw("MODULE") > module_name) | (kw("IDENT") > ident_text) |
                       (kw("DEFINE") > define_what) | clause;
const auto end_of_file = x3::rule<class EndId>{"a statement (MODULE, IDENT, DEFINE) or a clause"} =
    x3::eoi;
const auto cld_file = *(-x3::lit(',') >> statement) > end_of_file;

// X3 reports the position before the skipper ran; errors name the next real text.
const char* skip_blanks(const char* where, const char* last) {
  while (where != last) {
    if (*where == '!') {
      while (where != last && *where != '\n') ++where;
    } else if (std::isspace(static_cast<unsigned char>(*where))) {
      ++where;
    } else {
      break;
    }
  }
  return where;
}

// What the parser found where it stopped, for the message: the next word or "end of file".
std::string found_at(const char* where, const char* last) {
  if (where == last) return "end of file";
  const char* end = where;
  while (end != last && end - where < 24 && *end != '\n' && *end != ' ' && *end != '\t') ++end;
  return "\"" + std::string(where, end) + "\"";
}

// What an expectation wanted, for the message.  Every expected parser is a named rule or
// a literal; should one ever not be, X3 would give its C++ type name, which says nothing
// to a user, so anything that looks like one becomes a plain description.
std::string expected_text(const std::string& which) {
  const bool readable = !which.empty() && which.find("boost") == std::string::npos &&
                        which.find("x3") == std::string::npos &&
                        which.find("::") == std::string::npos &&
                        !std::isdigit(static_cast<unsigned char>(which.front()));
  return readable ? which : "a CLD statement or clause";
}

}  // namespace

std::string CldError::text() const {
  std::string out = file + ":" + std::to_string(line) + ":";
  if (column > 0) out += std::to_string(column) + ":";
  return out + " " + message;
}

CldResult parse_cld(std::string_view source, std::string_view file_name) {
  CldResult result;
  auto error = [&](int line, int column, std::string message) {
    result.error = CldError{std::string(file_name), line, column, std::move(message)};
    return result;
  };
  if (auto cpp = detail::check_preprocessor(source)) return error(cpp->line, 1, cpp->message);
  if (auto bad = detail::check_ascii(source)) return error(bad->line, 0, bad->message);
  if (auto deep = detail::check_nesting(source)) return error(deep->line, 0, deep->message);
  Builder b(source);
  const char* first = source.data();
  const char* last = first + source.size();
  try {
    if (!x3::phrase_parse(first, last, x3::with<BuilderTag>(std::ref(b))[cld_file], skipper)) {
      const char* at = skip_blanks(first, last);
      return error(b.line_of(at), b.column_of(at), "unexpected " + found_at(at, last));
    }
  } catch (const x3::expectation_failure<const char*>& e) {
    const char* at = skip_blanks(e.where(), last);
    return error(b.line_of(at), b.column_of(at),
                 "expected " + expected_text(e.which()) + ", found " + found_at(at, last));
  }
  if (b.error()) return error(b.error()->line, 0, b.error()->message);
  Model model = b.take_model();
  if (auto bad = detail::validate(model)) return error(bad->line, 0, bad->message);
  result.model = std::move(model);
  return result;
}

}  // namespace sup::cli::cld
