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

// --- Issue 10: the rules SET COMMAND follows on real files (doc/vms_facts.md section 12).
// One test per rule, each with a minimal example.

// Rule 1: a line starting with "#" is C-preprocessor input: a clear error with its line.
TEST(CldRealRules, Rule1PreprocessorLineIsAnErrorNamingTheLine) {
  const CldError e =
      parse_bad("DEFINE VERB ZIP\n  QUALIFIER A\n  #ifdef BZIP2_SUPPORT\n  QUALIFIER B\n#endif\n");
  EXPECT_EQ(e.line, 3) << e.text();
  EXPECT_NE(e.message.find("C-preprocessor"), std::string::npos) << e.text();
  EXPECT_NE(e.message.find("CC/PREPROCESS_ONLY"), std::string::npos) << e.text();
  EXPECT_EQ(e.text().rfind("BAD.CLD:3:", 0), 0u) << e.text();
  // "#" elsewhere than at the start of a line is no such thing.
  const Model m = parse_ok("DEFINE VERB V\n  PARAMETER P1, PROMPT=\"#\" ! #ifdef\n");
  EXPECT_EQ(m.verbs[0].parameters[0].prompt, "#");
}

// Rule 2: CLIROUTINE name is a verb clause.
TEST(CldRealRules, Rule2CliRoutineIsAVerbClause) {
  const Model m = parse_ok("DEFINE VERB SHOW\n  CLIROUTINE SHOW_STATUS\n  QUALIFIER FULL\n");
  ASSERT_EQ(m.verbs.size(), 1u);
  EXPECT_EQ(m.verbs[0].cli_routine, "SHOW_STATUS");
  EXPECT_EQ(m.verbs[0].qualifiers.size(), 1u);
  EXPECT_EQ(parse_bad("MODULE M\nCLIROUTINE R\n").line, 2);  // only inside a definition
}

// Rule 3: SYNONYM inside DEFINE SYNTAX is accepted and has no effect.
TEST(CldRealRules, Rule3SynonymInASyntaxIsAcceptedAndIgnored) {
  const Model m = parse_ok(
      "DEFINE VERB SHOW\n  IMAGE X\n  PARAMETER P1, VALUE(TYPE=WHAT)\n"
      "DEFINE TYPE WHAT\n  KEYWORD QUEUE, SYNTAX=SHOW_QUEUE\n"
      "DEFINE SYNTAX SHOW_QUEUE\n  SYNONYM SH\n  QUALIFIER FULL\n");
  ASSERT_NE(m.find_syntax("SHOW_QUEUE"), nullptr);
  EXPECT_TRUE(m.find_syntax("SHOW_QUEUE")->synonyms.empty());
  EXPECT_EQ(m.find_verb("SH"), nullptr);
  EXPECT_EQ(m.verbs.size(), 1u);
}

// Rule 4: a DISALLOW entity may be a keyword's name or label on its own, not only a path;
// paths may go down through keywords' own types; a name nothing defines is still an error.
TEST(CldRealRules, Rule4DisallowEntityMayBeAKeywordOrLabelOnItsOwn) {
  const std::string defs =
      "DEFINE TYPE METHODS\n  KEYWORD STORE\n  KEYWORD DEFLATE, LABEL=DEFL, VALUE(TYPE=LEVELS)\n"
      "DEFINE TYPE LEVELS\n  KEYWORD FAST\n  KEYWORD BEST\n"
      "DEFINE VERB ZIP\n  QUALIFIER COMPRESSION, VALUE(TYPE=METHODS)\n"
      "  QUALIFIER OUT, LABEL=OUTPUT\n";
  const Model m = parse_ok(defs +
                           "  DISALLOW STORE AND DEFL\n  DISALLOW OUTPUT\n"
                           "  DISALLOW COMPRESSION.DEFLATE.BEST AND BEST\n");
  EXPECT_EQ(m.verbs[0].disallows.size(), 3u);
  const CldError e = parse_bad(defs + "  DISALLOW STORE AND NOSUCH\n");
  EXPECT_EQ(e.line, 10) << e.text();
  EXPECT_NE(e.message.find("DISALLOW names NOSUCH"), std::string::npos) << e.text();
  EXPECT_EQ(parse_bad(defs + "  DISALLOW COMPRESSION.STORE.BEST\n").line, 10);
}

// Rule 5: names, keywords included, may start with a digit.
TEST(CldRealRules, Rule5NamesMayStartWithADigit) {
  const Model m = parse_ok(
      "DEFINE TYPE LEVEL_KEYWORDS\n  KEYWORD 0\n  KEYWORD 1, DEFAULT\n  KEYWORD 9\n"
      "DEFINE VERB 3D\n  QUALIFIER LEVEL, VALUE(TYPE=LEVEL_KEYWORDS)\n"
      "  QUALIFIER 8BIT\n  DISALLOW LEVEL.0 AND 8BIT\n");
  ASSERT_EQ(m.types.size(), 1u);
  ASSERT_EQ(m.types[0].keywords.size(), 3u);
  EXPECT_EQ(m.types[0].keywords[0].name, "0");
  EXPECT_TRUE(m.types[0].keywords[1].is_default);
  EXPECT_NE(m.find_verb("3D"), nullptr);
  EXPECT_NE(m.verbs[0].find_qualifier("8BIT"), nullptr);
}

// Rule 6: IMAGE and ROUTINE in one definition is an error that says so.
TEST(CldRealRules, Rule6ImageAndRoutineTogetherIsAnError) {
  for (const char* source :
       {"DEFINE VERB FOO\n  IMAGE X.EXE\n  ROUTINE R\n",
        "DEFINE VERB FOO\n  ROUTINE R\n  IMAGE X.EXE\n",
        "DEFINE VERB V\n  IMAGE V\nDEFINE SYNTAX FOO\n  ROUTINE R, IMAGE I\n"}) {
    SCOPED_TRACE(source);
    const CldError e = parse_bad(source);
    EXPECT_NE(e.message.find("FOO has both IMAGE and ROUTINE"), std::string::npos) << e.text();
    EXPECT_EQ(e.line, std::string(source).find("SYNTAX") == std::string::npos ? 1 : 3);
  }
}

// Rule 7: no error message shows an internal name of the parser (a C++ type, a rule id):
// every place where the grammar expects something says what, in CLD words.
TEST(CldRealRules, Rule7ErrorsNeverShowParserInternals) {
  const char* cases[] = {"MODULE",
                         "MODULE (",
                         "IDENT",
                         "IDENT (",
                         "DEFINE",
                         "DEFINE VERB",
                         "DEFINE VERB (",
                         "DEFINE SYNTAX (",
                         "DEFINE TYPE (",
                         "DEFINE VERB V IMAGE (",
                         "DEFINE VERB V ROUTINE (",
                         "DEFINE VERB V CLIROUTINE (",
                         "DEFINE VERB V SYNONYM (",
                         "DEFINE VERB V PARAMETER (",
                         "DEFINE VERB V QUALIFIER (",
                         "DEFINE TYPE T KEYWORD (",
                         "DEFINE VERB V QUALIFIER Q LABEL=(",
                         "DEFINE VERB V PARAMETER P1 PROMPT=(",
                         "DEFINE VERB V QUALIFIER Q SYNTAX=(",
                         "DEFINE VERB V QUALIFIER Q PLACEMENT=(",
                         "DEFINE VERB V QUALIFIER Q VALUE(TYPE=(",
                         "DEFINE VERB V QUALIFIER Q VALUE(DEFAULT=",
                         "DEFINE VERB V QUALIFIER Q VALUE(DEFAULT=(",
                         "DEFINE VERB V QUALIFIER Q VALUE(DEFAULT=(a,",
                         "DEFINE VERB V QUALIFIER Q VALUE(X",
                         "DEFINE VERB V QUALIFIER Q VALUE(",
                         "DEFINE VERB V QUALIFIER Q DISALLOW",
                         "DEFINE VERB V QUALIFIER Q DISALLOW ANY2",
                         "DEFINE VERB V QUALIFIER Q DISALLOW ANY2(",
                         "DEFINE VERB V QUALIFIER Q DISALLOW ANY2(Q,",
                         "DEFINE VERB V QUALIFIER Q DISALLOW Q OR",
                         "DEFINE VERB V QUALIFIER Q DISALLOW Q AND",
                         "DEFINE VERB V QUALIFIER Q DISALLOW NOT",
                         "DEFINE VERB V QUALIFIER Q DISALLOW NEG (",
                         "DEFINE VERB V QUALIFIER Q DISALLOW (Q",
                         "DEFINE VERB V,",
                         "\"",
                         "(((",
                         "%"};
  for (const char* source : cases) {
    SCOPED_TRACE(source);
    const auto result = parse_cld(source, "X.CLD");
    ASSERT_FALSE(result.ok());
    const std::string text = result.error->text();
    for (const char* internal : {"boost", "spirit", "x3", "::", "Id", "Tag", "rule"}) {
      EXPECT_EQ(text.find(internal), std::string::npos) << text;
    }
    EXPECT_EQ(text.rfind("X.CLD:1:", 0), 0u) << text;
  }
}

}  // namespace
}  // namespace sup::cli::cld
