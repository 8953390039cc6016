// The CLD parser: the project's own cld/SUPERVISOR.CLD, a real third-party CLD (MBU's),
// every clause of the language, and malformed input with the line of the error.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "cli/cld_parser.hpp"
#include "msg/embedded.hpp"

namespace sup::cli::cld {
namespace {

std::string read_project_cld() {
  std::ifstream in(std::string(SUP_SOURCE_DIR) + "/cld/SUPERVISOR.CLD");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses and fails the test with the error text when the source does not parse.
Model parse_ok(std::string_view source) {
  auto result = parse_cld(source);
  EXPECT_TRUE(result.ok()) << (result.error ? result.error->text() : "");
  return result.model ? *result.model : Model{};
}

// The error of a source that must not parse.
CldError parse_bad(std::string_view source) {
  auto result = parse_cld(source, "BAD.CLD");
  EXPECT_FALSE(result.ok()) << "parsed unexpectedly";
  return result.error ? *result.error : CldError{};
}

// A compact picture of an expression tree: AND(NEG(WAIT),TIMEOUT).
std::string show(const Expr& e) {
  static const char* kOps[] = {"", "NOT", "NEG", "AND", "OR", "ANY2"};
  if (e.op == Expr::Op::Entity) return e.entity;
  std::string out = std::string(kOps[static_cast<int>(e.op)]) + "(";
  for (std::size_t i = 0; i < e.operands.size(); ++i) {
    out += (i ? "," : "") + show(e.operands[i]);
  }
  return out + ")";
}

TEST(CldParserProject, ParsesTheProjectCld) {
  const Model m = parse_ok(read_project_cld());
  EXPECT_EQ(m.module, "SUPERVISOR_CLD");
  ASSERT_EQ(m.verbs.size(), 1u);
  const Definition& verb = m.verbs[0];
  EXPECT_EQ(verb.name, "SUPERVISOR");
  EXPECT_FALSE(verb.image.empty());
  ASSERT_EQ(verb.parameters.size(), 1u);
  EXPECT_EQ(verb.parameters[0].label, "ACTION");
  EXPECT_EQ(verb.parameters[0].prompt, "Action");
  EXPECT_TRUE(verb.parameters[0].value.required);
  EXPECT_EQ(verb.parameters[0].value.type, "SUP_ACTIONS");
  const Type* actions = m.find_type("SUP_ACTIONS");
  ASSERT_NE(actions, nullptr);
  std::string names;
  for (const auto& k : actions->keywords) names += k.name + " ";
  EXPECT_EQ(names, "HELP START STOP RESTART STATUS PID VERSION SHUTDOWN ");
}

TEST(CldParserProject, EveryActionSyntaxRedeclaresP1AndTheGlobalQualifiers) {
  const Model m = parse_ok(read_project_cld());
  const Type* actions = m.find_type("SUP_ACTIONS");
  ASSERT_NE(actions, nullptr);
  for (const auto& k : actions->keywords) {
    SCOPED_TRACE(k.name);
    EXPECT_EQ(k.syntax, "SUP_" + k.name);
    const Definition* s = m.find_syntax(k.syntax);
    ASSERT_NE(s, nullptr);
    ASSERT_FALSE(s->parameters.empty());
    EXPECT_EQ(s->parameters[0].label, "ACTION");
    EXPECT_EQ(s->parameters[0].value.type, "SUP_ACTIONS");
    ASSERT_NE(s->find_qualifier("CONFIGURATION"), nullptr);
    EXPECT_EQ(s->find_qualifier("CONFIGURATION")->value.type, "$FILE");
    EXPECT_TRUE(s->find_qualifier("PASSWORD")->value.required);
  }
}

TEST(CldParserProject, StartSyntaxHasTheVerbSurface) {
  const Model m = parse_ok(read_project_cld());
  for (const char* name : {"SUP_START", "SUP_STOP", "SUP_RESTART"}) {
    SCOPED_TRACE(name);
    const Definition* s = m.find_syntax(name);
    ASSERT_NE(s, nullptr);
    const Parameter* p2 = s->find_parameter("PROGRAM_NAME");
    ASSERT_NE(p2, nullptr);
    EXPECT_TRUE(p2->value.list);
    EXPECT_FALSE(p2->value.required);
    const Qualifier* wait = s->find_qualifier("WAIT");
    ASSERT_NE(wait, nullptr);
    EXPECT_TRUE(wait->negatable);
    EXPECT_TRUE(wait->is_default);
    EXPECT_EQ(s->find_qualifier("TIMEOUT")->value.type, "$NUMBER");
    EXPECT_FALSE(s->find_qualifier("ALL")->negatable);
    ASSERT_EQ(s->disallows.size(), 4u);
    EXPECT_EQ(show(s->disallows[0]), "AND(PROGRAM,ALL)");
    EXPECT_EQ(show(s->disallows[3]), "AND(NEG(WAIT),TIMEOUT)");
  }
  const Definition* status = m.find_syntax("SUP_STATUS");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->find_qualifier("OUTPUT")->value.type, "$FILE");
  // P3..P8 take more names separated by blanks ("START WEB WORKER"), each a list.
  for (const char* name : {"SUP_START", "SUP_STOP", "SUP_RESTART", "SUP_STATUS"}) {
    SCOPED_TRACE(name);
    const Definition* s = m.find_syntax(name);
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->parameters.size(), 8u);
    for (std::size_t i = 2; i < 8; ++i) {
      EXPECT_EQ(s->parameters[i].name, "P" + std::to_string(i + 1));
      EXPECT_EQ(s->parameters[i].label, "PROGRAM_NAME_" + std::to_string(i + 1));
      EXPECT_TRUE(s->parameters[i].value.list);
      EXPECT_FALSE(s->parameters[i].value.required);
    }
  }
  EXPECT_EQ(m.find_syntax("SUP_PID")->parameters.size(), 2u);
  EXPECT_EQ(m.find_syntax("SUP_HELP")->find_parameter("TOPIC")->value.type, "$REST_OF_LINE");
}

TEST(CldParserProject, EmbeddedCopyParsesLikeTheFile) {
  EXPECT_FALSE(supervisor_cld_error().has_value())
      << (supervisor_cld_error() ? supervisor_cld_error()->text() : "");
  EXPECT_EQ(std::string(sup::embedded::cld_source), read_project_cld());
  EXPECT_EQ(supervisor_cld().syntaxes.size(), 8u);
  EXPECT_EQ(&supervisor_cld(), &supervisor_cld());  // parsed once
}

// MBU's mbucld.cld (OpenVMS Freeware V8, FREEWARE80_2/mbu/src/mbucld.cld; doc/vms_facts.md
// section 12).
constexpr const char* kMbuCld = R"(MODULE MBUCLD
IDENT "V01-004"
DEFINE VERB CREATE
	ROUTINE CREATE_CMD
	PARAMETER P1,LABEL=NAME,PROMPT="Mailbox name"
		VALUE(REQUIRED,NOCONCATENATE)
	QUALIFIER BUFFER_QUOTA,NONNEGATABLE,LABEL=BUFQUO
		VALUE(NOCONCATENATE,TYPE=$NUMBER,REQUIRED)
	QUALIFIER PERMANENT,NONNEGATABLE
	QUALIFIER TEMPORARY,NONNEGATABLE
	DISALLOW TEMPORARY AND PERMANENT
DEFINE VERB SHOW
	PARAMETER P1,LABEL=SHOW_WHAT,PROMPT="What"
		VALUE(REQUIRED,TYPE=SHOW_TYPE,NOCONCATENATE)
	NOQUALIFIERS
DEFINE TYPE SHOW_TYPE
	KEYWORD DEFAULTS,NONNEGATABLE,SYNTAX=SHOW_DEFAULT_SYN
	KEYWORD MAILBOX,NONNEGATABLE,SYNTAX=SHOW_MAILBOX_SYN
DEFINE SYNTAX SHOW_DEFAULT_SYN
	ROUTINE SHOW_DEFAULT_CMD
DEFINE SYNTAX SHOW_MAILBOX_SYN
	ROUTINE SHOW_MAILBOX_CMD
	PARAMETER P1,LABEL=SHOW_WHAT,PROMPT="What"
		VALUE(REQUIRED,TYPE=SHOW_TYPE,NOCONCATENATE)
	PARAMETER P2,LABEL=NAME,PROMPT="Mailbox name"
		VALUE(REQUIRED,NOCONCATENATE)
	QUALIFIER TEMPORARY, NONNEGATABLE
	QUALIFIER INUSE
DEFINE VERB WRITE
	ROUTINE WRITE_CMD
	PARAMETER P1,LABEL=NAME,PROMPT="Mailbox name" VALUE(REQUIRED,NOCONCATENATE)
	QUALIFIER WAIT,NEGATABLE,DEFAULT
	QUALIFIER TIMEOUT,NONNEGATABLE,VALUE(TYPE=$NUMBER,REQUIRED)
DEFINE TYPE FORMAT_TYPE
	KEYWORD HEX,NONNEGATABLE
	KEYWORD TEXT,NONNEGATABLE
)";

TEST(CldParserSyntax, ParsesARealThirdPartyCld) {
  const Model m = parse_ok(kMbuCld);
  EXPECT_EQ(m.module, "MBUCLD");
  EXPECT_EQ(m.ident, "V01-004");
  ASSERT_EQ(m.verbs.size(), 3u);
  const Definition& create = m.verbs[0];
  EXPECT_EQ(create.routine, "CREATE_CMD");
  EXPECT_EQ(create.parameters[0].prompt, "Mailbox name");
  EXPECT_FALSE(create.parameters[0].value.concatenate);
  const Qualifier* quota = create.find_qualifier("BUFFER_QUOTA");
  ASSERT_NE(quota, nullptr);
  EXPECT_EQ(quota->label, "BUFQUO");
  EXPECT_FALSE(quota->negatable);
  EXPECT_TRUE(quota->value.required);
  EXPECT_EQ(quota->value.type, "$NUMBER");
  EXPECT_TRUE(m.find_verb("SHOW")->no_qualifiers);
  EXPECT_EQ(m.find_syntax("SHOW_MAILBOX_SYN")->parameters.size(), 2u);
  EXPECT_TRUE(m.find_verb("WRITE")->find_qualifier("WAIT")->is_default);
  EXPECT_TRUE(m.find_verb("WRITE")->find_qualifier("WAIT")->negatable);
}

TEST(CldParserSyntax, KeywordsAreCaseInsensitiveAndCommasOptional) {
  const Model m = parse_ok(
      "module lower\n"
      "define verb print image sys$system:print.exe\n"
      "  parameter p1 label=files prompt=\"File\" value(required, list, type=$file)\n"
      "  qualifier copies, value (type = $number, default = \"1\"), placement=local\n"
      "  Qualifier Notify Negatable Batch Placement=Positional\n"
      "  qualifier form value(default=(a, \"b c\"), list, noconcatenate)\n");
  ASSERT_EQ(m.verbs.size(), 1u);
  const Definition& v = m.verbs[0];
  EXPECT_EQ(v.name, "PRINT");
  EXPECT_EQ(v.image, "sys$system:print.exe");
  EXPECT_EQ(v.parameters[0].entity(), "FILES");
  EXPECT_TRUE(v.parameters[0].value.list);
  EXPECT_EQ(v.parameters[0].value.type, "$FILE");
  const Qualifier* copies = v.find_qualifier("COPIES");
  EXPECT_EQ(copies->placement, Placement::Local);
  EXPECT_EQ(copies->value.defaults, std::vector<std::string>{"1"});
  EXPECT_TRUE(copies->negatable);  // CDU's default
  EXPECT_EQ(v.find_qualifier("NOTIFY")->placement, Placement::Positional);
  EXPECT_TRUE(v.find_qualifier("NOTIFY")->batch);
  EXPECT_FALSE(v.find_qualifier("NOTIFY")->value.allowed);
  const Qualifier* form = v.find_qualifier("FORM");
  EXPECT_EQ(form->value.defaults, (std::vector<std::string>{"a", "b c"}));
  EXPECT_TRUE(form->value.list);
  EXPECT_FALSE(form->value.concatenate);
}

TEST(CldParserSyntax, CommentsAndQuotedStrings) {
  const Model m = parse_ok(
      "! leading comment\n"
      "DEFINE VERB X ! trailing comment\n"
      "  PARAMETER P1, PROMPT=\"Say \"\"hi\"\"!\"  ! a \"!\" inside quotes is text\n"
      "  ! QUALIFIER COMMENTED_OUT\n"
      "  QUALIFIER Q\n");
  const Definition& v = m.verbs[0];
  EXPECT_EQ(v.parameters[0].prompt, "Say \"hi\"!");
  EXPECT_EQ(v.qualifiers.size(), 1u);
}

TEST(CldParserSyntax, DisallowExpressionTrees) {
  const Model m = parse_ok(
      "DEFINE VERB X\n"
      "  PARAMETER P1, LABEL=WHAT, VALUE(TYPE=T)\n"
      "  QUALIFIER A\n  QUALIFIER B\n  QUALIFIER C\n"
      "  DISALLOW A OR B AND C\n"
      "  DISALLOW (A OR B) AND NOT C\n"
      "  DISALLOW ANY2(A, B, C)\n"
      "  DISALLOW NEG A AND WHAT.ONE\n"
      "  DISALLOW NOT (A AND NEG B) or c\n"
      "DEFINE TYPE T\n  KEYWORD ONE\n  KEYWORD TWO\n");
  const auto& d = m.verbs[0].disallows;
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(show(d[0]), "OR(A,AND(B,C))");
  EXPECT_EQ(show(d[1]), "AND(OR(A,B),NOT(C))");
  EXPECT_EQ(show(d[2]), "ANY2(A,B,C)");
  EXPECT_EQ(show(d[3]), "AND(NEG(A),WHAT.ONE)");
  EXPECT_EQ(show(d[4]), "OR(NOT(AND(A,NEG(B))),C)");
  EXPECT_EQ(d[1].line, 7);
}

TEST(CldParserSyntax, KeywordsOfATypeAndSyntaxInheritance) {
  const Model m = parse_ok(
      "DEFINE VERB V\n  PARAMETER P1, VALUE(TYPE=K)\n  QUALIFIER Q\n"
      "DEFINE TYPE K\n"
      "  KEYWORD ALPHA, NEGATABLE, DEFAULT, VALUE(REQUIRED, TYPE=$NUMBER)\n"
      "  KEYWORD BETA, SYNTAX=V_BETA, LABEL=B\n"
      "DEFINE SYNTAX V_BETA\n  NOPARAMETERS\n  NODISALLOWS\n");
  const Type* k = m.find_type("K");
  ASSERT_NE(k, nullptr);
  EXPECT_TRUE(k->keywords[0].negatable);
  EXPECT_TRUE(k->keywords[0].is_default);
  EXPECT_EQ(k->keywords[0].value.type, "$NUMBER");
  EXPECT_FALSE(k->keywords[1].negatable);  // CDU's default for keywords
  EXPECT_EQ(k->keywords[1].entity(), "B");
  const Definition* beta = m.find_syntax("V_BETA");
  EXPECT_TRUE(beta->no_parameters);
  EXPECT_TRUE(beta->no_disallows);
  EXPECT_FALSE(beta->no_qualifiers);
}

TEST(CldParserSyntax, EmptySourceIsAnEmptyModel) {
  const Model m = parse_ok("  ! nothing but a comment\n");
  EXPECT_TRUE(m.verbs.empty());
}

// --- Malformed input: the error names the file and the line.

struct BadCase {
  const char* source;
  int line;
  const char* message_part;
};

class CldParserErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(CldParserErrors, NamesTheLine) {
  const BadCase& c = GetParam();
  const CldError e = parse_bad(c.source);
  EXPECT_EQ(e.line, c.line) << e.text();
  EXPECT_NE(e.message.find(c.message_part), std::string::npos) << e.text();
  EXPECT_EQ(e.text().rfind("BAD.CLD:" + std::to_string(c.line) + ":", 0), 0u) << e.text();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CldParserErrors,
    ::testing::Values(
        BadCase{"MODULE X\nDEFINE VERB FOO\n  QUALIFIER A, LABEL B\n", 3, "expected '='"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A\n  QUALIFER B\n", 3, "found \"QUALIFER\""},
        BadCase{"DEFINE VERB FOO\n  PARAMETER P1, VALUE(TYPE=NOPE)\n", 2, "TYPE=NOPE"},
        BadCase{"DEFINE VERB FOO\n\n  PARAMETER P1, VALUE(TYPE=$NOPE)\n", 3, "$NOPE"},
        BadCase{"DEFINE VERB FOO\n  PARAMETER P1, VALUE(TYPE=T)\nDEFINE TYPE T\n"
                "  KEYWORD A\n  KEYWORD B, SYNTAX=MISSING\n",
                5, "SYNTAX=MISSING"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A\n\n  DISALLOW A AND B\n", 4, "DISALLOW names B"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A\n  DISALLOW A AND\n", 4, "expected an entity"},
        BadCase{"DEFINE VERB FOO\n  PARAMETER P1, PROMPT=\"open\n", 3, "expected '\"'"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A, PLACEMENT=SOMEWHERE\n", 2, "GLOBAL, LOCAL"},
        BadCase{"DEFINE VERB FOO\nDEFINE VERB BAR\nDEFINE VERB FOO\n", 3, "defined twice"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A\n  QUALIFIER A\n", 3, "defined twice"},
        BadCase{"DEFINE VERB FOO\n  PARAMETER P2\n", 2, "must be named P1"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A, PROMPT=\"x\"\n", 2, "PROMPT"},
        BadCase{"DEFINE VERB FOO\n  KEYWORD K\n", 2, "KEYWORD is allowed only"},
        BadCase{"MODULE M\nPARAMETER P1\n", 2, "PARAMETER is allowed only"},
        BadCase{"DEFINE VERB FOO\n  IMAGE X.EXE\n  ROUTINE R\n", 1, "both IMAGE and ROUTINE"},
        BadCase{"DEFINE WIDGET FOO\n", 1, "VERB, SYNTAX or TYPE"},
        BadCase{"DEFINE VERB FOO,\n", 1, "expected a statement"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A, VALUE(REQUIRED, SOMETIMES)\n", 2, "expected ')'"},
        BadCase{"DEFINE VERB FOO\n  QUALIFIER A, LABEL=X\n  QUALIFIER B, LABEL=X\n", 3,
                "defined twice"}));

TEST(CldParserRobustness, DeepNestingIsAnErrorNotACrash) {
  std::string source = "DEFINE VERB FOO\n  QUALIFIER A\n  DISALLOW ";
  for (int i = 0; i < 5000; ++i) source += "NOT (";
  source += "A";
  const CldError e = parse_bad(source);
  EXPECT_EQ(e.line, 3);
  EXPECT_NE(e.message.find("nested too deeply"), std::string::npos);
}

TEST(CldParserRobustness, NonAsciiOnlyInStringsAndComments) {
  const Model m =
      parse_ok("DEFINE VERB V ! caf\xC3\xA9\r\xBE\n  PARAMETER P1, PROMPT=\"Caf\xC3\xA9\"\n");
  EXPECT_EQ(m.verbs[0].parameters[0].prompt, "Caf\xC3\xA9");
  const CldError e = parse_bad("DEFINE VERB V\n  QUALIFIER CAF\xC3\xA9\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.message.find("ASCII"), std::string::npos);
}

TEST(CldParserRobustness, GarbageIsAnError) {
  for (const char* garbage :
       {"\x01\x02\x03", "DEFINE", "DEFINE VERB", "\"", "(((", "VALUE(", "DEFINE TYPE T KEYWORD",
        "DEFINE VERB V DISALLOW ANY2(", "DEFINE VERB V QUALIFIER Q VALUE(DEFAULT=(a,"}) {
    SCOPED_TRACE(garbage);
    const auto result = parse_cld(garbage);
    EXPECT_FALSE(result.ok());
    ASSERT_TRUE(result.error.has_value());
    EXPECT_GE(result.error->line, 1);
  }
}

}  // namespace
}  // namespace sup::cli::cld
