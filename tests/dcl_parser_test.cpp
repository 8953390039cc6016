// The DCL command-line parser against the project's CLD (a table of command lines with
// their expected parse or %CLI error), plus CLI$PRESENT/CLI$GET_VALUE semantics,
// placement, keyword values, DISALLOW operators, verbs, argv and prompting on small
// test CLDs.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "cli/cld_parser.hpp"
#include "cli/dcl_parser.hpp"

namespace sup::cli {
namespace {

// --- Expectation strings for the table.
//   "%IDENT WORD"                 the parse fails with %CLI-W-IDENT and \WORD\ (may be empty)
//   "SYNTAX; ITEM; ITEM..."       it succeeds with that syntax; each ITEM is
//                                 ENTITY[@PRESENCE][=v1|v2] (PRESENCE defaults to PRESENT).
// Entities not listed must be ABSENT or DEFAULTED; ACTION is checked from the syntax name.
struct Row {
  const char* line;
  const char* expect;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(sep, start);
    out.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

void check_error(const DclResult& r, const std::string& expect) {
  ASSERT_FALSE(r.ok()) << "parsed, expected " << expect;
  const auto space = expect.find(' ');
  const std::string ident = expect.substr(1, space == std::string::npos ? space : space - 1);
  const std::string word = space == std::string::npos ? "" : expect.substr(space + 1);
  EXPECT_EQ(r.error->ident, ident) << r.error->message();
  EXPECT_EQ(r.error->word, word) << r.error->message();
  EXPECT_EQ(r.error->message().rfind("%CLI-W-" + ident + ", ", 0), 0u);
}

void check_item(const ParsedCommand& c, const std::string& item, std::set<std::string>& listed) {
  const auto eq = item.find('=');
  const std::string head = item.substr(0, eq);
  const auto at = head.find('@');
  const std::string entity = head.substr(0, at);
  const std::string presence = at == std::string::npos ? "PRESENT" : head.substr(at + 1);
  listed.insert(entity);
  EXPECT_EQ(presence_name(c.present(entity)), presence) << entity;
  const auto values =
      eq == std::string::npos ? std::vector<std::string>{} : split(item.substr(eq + 1), '|');
  EXPECT_EQ(c.values(entity), values) << entity;
}

void check_parse(const DclResult& r, const std::string& expect) {
  ASSERT_TRUE(r.ok()) << r.error->message() << "\nexpected " << expect;
  const ParsedCommand& c = *r.command;
  const auto items = split(expect, ';');
  const std::string syntax = trim(items[0]);
  EXPECT_EQ(c.syntax_name(), syntax);
  const std::string action = syntax.substr(4);  // SUP_START -> START
  EXPECT_EQ(c.action(), action);
  EXPECT_EQ(c.values("ACTION"), std::vector<std::string>{action});
  EXPECT_EQ(c.present("ACTION." + action), Presence::Present);
  std::set<std::string> listed{"ACTION", "ACTION." + action};
  for (std::size_t i = 1; i < items.size(); ++i) check_item(c, trim(items[i]), listed);
  for (const auto& name : c.entity_names()) {
    if (listed.count(name)) continue;
    const Presence p = c.present(name);
    EXPECT_TRUE(p == Presence::Absent || p == Presence::Defaulted)
        << name << " is " << presence_name(p);
  }
}

class DclTable : public ::testing::TestWithParam<Row> {};

TEST_P(DclTable, ParsesLikeDcl) {
  const Row& row = GetParam();
  const DclResult r = parse_dcl_verb(supervisor_cld(), "SUPERVISOR", row.line);
  const std::string expect = row.expect;
  if (expect[0] == '%') {
    check_error(r, expect);
  } else {
    check_parse(r, expect);
  }
}

const Row kRows[] = {
    // Actions: keywords abbreviate to any unique prefix.
    {"status", "SUP_STATUS"},
    {"STATUS", "SUP_STATUS"},
    {"StAtUs", "SUP_STATUS"},
    {"stat", "SUP_STATUS"},
    {"st", "%ABKEYW ST"},
    {"sta", "%ABKEYW STA"},
    {"s", "%ABKEYW S"},
    {"sto", "SUP_STOP"},
    {"star", "SUP_START; WAIT@DEFAULTED"},
    {"sh", "SUP_SHUTDOWN"},
    {"shutdown", "SUP_SHUTDOWN"},
    {"re", "SUP_RESTART; WAIT@DEFAULTED"},
    {"h", "SUP_HELP"},
    {"p", "SUP_PID"},
    {"v", "SUP_VERSION"},
    {"statusx", "%IVKEYW STATUSX"},
    {"frobnicate", "%IVKEYW FROBNICATE"},
    {"nostart", "%NONEGATE NOSTART"},
    {"status=x", "%NOVALU STATUS"},
    {"", "%INSFPRM"},
    {"   ! only a comment", "%INSFPRM"},
    {"/password=x", "%INSFPRM"},
    {"/all status", "SUP_STATUS; ALL"},  // re-read against the STATUS syntax
    {"/output=x version", "%IVQUAL OUTPUT"},
    // Parameters and lists.
    {"start web", "SUP_START; PROGRAM_NAME=WEB; WAIT@DEFAULTED"},
    {"start web,api", "SUP_START; PROGRAM_NAME=WEB|API"},
    {"start web, api", "SUP_START; PROGRAM_NAME=WEB|API"},
    {"start web ,api", "SUP_START; PROGRAM_NAME=WEB|API"},
    {"start web+api", "SUP_START; PROGRAM_NAME=WEB|API"},
    // Names separated by blanks: P2..P8 (PROGRAM_NAME, PROGRAM_NAME_3..8), each a list.
    {"start web api", "SUP_START; PROGRAM_NAME=WEB; PROGRAM_NAME_3=API"},
    {"stop web api worker",
     "SUP_STOP; PROGRAM_NAME=WEB; PROGRAM_NAME_3=API; PROGRAM_NAME_4=WORKER"},
    {"restart a,b c", "SUP_RESTART; PROGRAM_NAME=A|B; PROGRAM_NAME_3=C"},
    {"restart a, b c", "SUP_RESTART; PROGRAM_NAME=A|B; PROGRAM_NAME_3=C"},
    {"status a b,c d", "SUP_STATUS; PROGRAM_NAME=A; PROGRAM_NAME_3=B|C; PROGRAM_NAME_4=D"},
    {"start a b c d e f g",
     "SUP_START; PROGRAM_NAME=A; PROGRAM_NAME_3=B; PROGRAM_NAME_4=C; PROGRAM_NAME_5=D; "
     "PROGRAM_NAME_6=E; PROGRAM_NAME_7=F; PROGRAM_NAME_8=G"},
    {"start a b c d e f g h", "%MAXPARM H"},
    {"start a b c d e f g,h",
     "SUP_START; PROGRAM_NAME=A; PROGRAM_NAME_3=B; PROGRAM_NAME_4=C; "
     "PROGRAM_NAME_5=D; PROGRAM_NAME_6=E; PROGRAM_NAME_7=F; "
     "PROGRAM_NAME_8=G|H"},
    {"start web /nowait api", "SUP_START; PROGRAM_NAME=WEB; PROGRAM_NAME_3=API; WAIT@NEGATED"},
    {"stop web \"My Api\"", "SUP_STOP; PROGRAM_NAME=WEB; PROGRAM_NAME_3=My Api"},
    {"status web api ! worker", "SUP_STATUS; PROGRAM_NAME=WEB; PROGRAM_NAME_3=API"},
    {"start /all web api", "%CONFLICT WEB"},
    {"stop web api /all", "%CONFLICT ALL"},
    {"restart /program=web api worker", "%CONFLICT API"},
    {"status web api /program=x", "%CONFLICT PROGRAM"},
    {"start web api /nowait /timeout=3", "%CONFLICT TIMEOUT"},
    {"start web,", "%VALREQ"},
    {"start web,,api", "%PARMDEL ,"},
    {"start ,web", "%NOLIST WEB"},
    {"start \"Web\"", "SUP_START; PROGRAM_NAME=Web"},
    {"start \"my prog\"", "SUP_START; PROGRAM_NAME=my prog"},
    {"start \"a\"\"b\"", "SUP_START; PROGRAM_NAME=a\"b"},
    {"start ab\"Cd\"ef", "SUP_START; PROGRAM_NAME=ABCdEF"},
    {"start \"unterminated", "SUP_START; PROGRAM_NAME=unterminated"},
    {"pid", "SUP_PID"},
    {"pid web", "SUP_PID; PROGRAM_NAME=WEB"},
    {"pid a,b", "%NOLIST B"},
    {"pid a b", "%MAXPARM B"},
    {"version", "SUP_VERSION"},
    {"version now", "%MAXPARM NOW"},
    {"help", "SUP_HELP"},
    {"help start /program", "SUP_HELP; TOPIC=start /program"},
    {"help Start Web ! comment", "SUP_HELP; TOPIC=Start Web"},
    {"help \"a!b\"", "SUP_HELP; TOPIC=\"a!b\""},
    // Qualifiers: abbreviation, negation, placement before or after parameters.
    {"start /all", "SUP_START; ALL"},
    {"start/all", "SUP_START; ALL"},
    {"start /a", "SUP_START; ALL"},
    {"START /ALL", "SUP_START; ALL"},
    {"start /noall", "%NONEGATE NOALL"},
    {"start /nowait web", "SUP_START; WAIT@NEGATED; PROGRAM_NAME=WEB"},
    {"start web /nowait", "SUP_START; WAIT@NEGATED; PROGRAM_NAME=WEB"},
    {"start web/nowait", "SUP_START; WAIT@NEGATED; PROGRAM_NAME=WEB"},
    {"start /wait web", "SUP_START; WAIT; PROGRAM_NAME=WEB"},
    {"start /now web", "SUP_START; WAIT@NEGATED; PROGRAM_NAME=WEB"},
    {"start /w web", "SUP_START; WAIT; PROGRAM_NAME=WEB"},
    {"start /wait /nowait web", "SUP_START; WAIT@NEGATED; PROGRAM_NAME=WEB"},
    {"start /prog", "%VALREQ PROG"},
    {"start /program=", "%VALREQ PROGRAM"},
    {"start /program=web", "SUP_START; PROGRAM=WEB"},
    {"start /program:web", "SUP_START; PROGRAM=WEB"},
    {"start /program=(web,api)", "SUP_START; PROGRAM=WEB|API"},
    {"start /program=( web , \"Api\" )", "SUP_START; PROGRAM=WEB|Api"},
    {"start /program=(web,api", "%PARMDEL ("},
    {"start /program=(web,)", "%VALREQ PROGRAM"},
    {"start /pr=web", "SUP_START; PROGRAM=WEB"},
    {"start /p=web", "%ABKEYW P"},
    {"start /pa=secret", "SUP_START; PASSWORD=SECRET"},
    {"start /password=\"Se cret\" web", "SUP_START; PASSWORD=Se cret; PROGRAM_NAME=WEB"},
    {"start /password=\"a\"\"b\"", "SUP_START; PASSWORD=a\"b"},
    {"start /foo", "%IVQUAL FOO"},
    {"start /", "%IVQUAL"},
    {"start /all=yes", "%NOVALU ALL"},
    {"start /nowait=3 web", "%NOVALU NOWAIT"},
    {"start /output=x.txt", "%IVQUAL OUTPUT"},
    {"shutdown /all", "%IVQUAL ALL"},
    // $FILE values keep case and slashes on POSIX.
    {"status /output=/tmp/Report.TXT", "SUP_STATUS; OUTPUT=/tmp/Report.TXT"},
    {"/configuration=/etc/supervisord.conf status",
     "SUP_STATUS; CONFIGURATION=/etc/supervisord.conf"},
    {"status /conf=/etc/Sup/sup.conf", "SUP_STATUS; CONFIGURATION=/etc/Sup/sup.conf"},
    {"status /conf=\"/etc/My Dir/s.conf\"", "SUP_STATUS; CONFIGURATION=/etc/My Dir/s.conf"},
    {"status /config=/etc/x.conf/all", "SUP_STATUS; CONFIGURATION=/etc/x.conf/all"},
    {"status /conf=Rel.conf /all", "SUP_STATUS; CONFIGURATION=Rel.conf; ALL"},
    {"status /conf=a.conf /conf=b.conf", "SUP_STATUS; CONFIGURATION=b.conf"},
    {"status /conf", "%VALREQ CONF"},
    {"status /noconf", "%NONEGATE NOCONF"},
    {"status /password=Secret", "SUP_STATUS; PASSWORD=SECRET"},  // not $FILE: upcased
    // Numbers.
    {"start /timeout=10 web", "SUP_START; TIMEOUT=10; PROGRAM_NAME=WEB"},
    {"start /timeout:-1 web", "SUP_START; TIMEOUT=-1; PROGRAM_NAME=WEB"},
    {"start /timeout=%X1F web", "SUP_START; TIMEOUT=%X1F; PROGRAM_NAME=WEB"},
    {"start /timeout=%o17 web", "SUP_START; TIMEOUT=%O17; PROGRAM_NAME=WEB"},
    {"start /timeout=12ab web", "%NUMBER 12AB"},
    {"start /timeout=%X1G web", "%NUMBER %X1G"},
    {"start /timeout=99999999999 web", "%NUMBER 99999999999"},
    {"start /timeout web", "%VALREQ TIMEOUT"},
    {"start /notimeout web", "%NONEGATE NOTIMEOUT"},
    // DISALLOW: the word shown is the element typed last.
    {"start /all web", "%CONFLICT WEB"},
    {"start web /all", "%CONFLICT ALL"},
    {"start /all /program=web", "%CONFLICT PROGRAM"},
    {"start /program=web api", "%CONFLICT API"},
    {"start /nowait /timeout=5 web", "%CONFLICT TIMEOUT"},
    {"start /timeout=5 /nowait web", "%CONFLICT NOWAIT"},
    {"start /wait /timeout=5 web", "SUP_START; WAIT; TIMEOUT=5; PROGRAM_NAME=WEB"},
    {"stop /all", "SUP_STOP; ALL; WAIT@DEFAULTED"},
    {"restart /all /nowait", "SUP_RESTART; ALL; WAIT@NEGATED"},
    {"status /all web", "%CONFLICT WEB"},
    {"status /program=(a,b) /all", "%CONFLICT ALL"},
    {"pid /program=web api", "%CONFLICT API"},
    {"pid /program=web", "SUP_PID; PROGRAM=WEB"},
    // Comments and white space.
    {"status ! what is running", "SUP_STATUS"},
    {"status web ! api", "SUP_STATUS; PROGRAM_NAME=WEB"},
    {"status \"web!api\"", "SUP_STATUS; PROGRAM_NAME=web!api"},
    {"  status   web  ", "SUP_STATUS; PROGRAM_NAME=WEB"},
    {"status\tweb", "SUP_STATUS; PROGRAM_NAME=WEB"},
    {"start web)", "%PARMDEL )"},
};

INSTANTIATE_TEST_SUITE_P(Supervisor, DclTable, ::testing::ValuesIn(kRows));

TEST(DclTableSize, HasAtLeastEightyRows) {
  EXPECT_GE(std::size(kRows), 80u);
}

// --- CLI$GET_VALUE and CLI$PRESENT semantics.

ParsedCommand parse_ok(const cld::Model& model, std::string_view line,
                       const DclOptions& options = {}) {
  DclResult r = parse_dcl_command(model, line, options);
  EXPECT_TRUE(r.ok()) << line << ": " << (r.error ? r.error->message() : "");
  return r.command ? std::move(*r.command) : ParsedCommand{};
}

CliError parse_error(const cld::Model& model, std::string_view line) {
  DclResult r = parse_dcl_command(model, line);
  EXPECT_FALSE(r.ok()) << line << " parsed";
  return r.error ? *r.error : CliError{};
}

TEST(DclGetValue, WalksAListWithCommaThenLastThenAbsent) {
  ParsedCommand c = parse_ok(supervisor_cld(), "SUPERVISOR START web,api");
  auto v = c.get_value("PROGRAM_NAME");
  EXPECT_EQ(v.status, ValueStatus::Comma);
  EXPECT_EQ(v.value, "WEB");
  EXPECT_TRUE(v.more());
  v = c.get_value("program_name");  // entity names are case-insensitive
  EXPECT_EQ(v.status, ValueStatus::Last);
  EXPECT_EQ(v.value, "API");
  EXPECT_FALSE(v.more());
  EXPECT_EQ(c.get_value("PROGRAM_NAME").status, ValueStatus::Absent);
  c.rewind();
  EXPECT_EQ(c.get_value("PROGRAM_NAME").value, "WEB");
}

TEST(DclGetValue, ConcatenatedListsSayConcat) {
  ParsedCommand c = parse_ok(supervisor_cld(), "SUPERVISOR START web+api");
  EXPECT_EQ(c.get_value("PROGRAM_NAME").status, ValueStatus::Concat);
  EXPECT_EQ(c.get_value("PROGRAM_NAME").status, ValueStatus::Last);
}

TEST(DclGetValue, UnknownEntitiesAreAValueNotACrash) {
  ParsedCommand c = parse_ok(supervisor_cld(), "SUPERVISOR STATUS");
  EXPECT_EQ(c.present("NO_SUCH_THING"), Presence::Undefined);
  EXPECT_EQ(c.get_value("NO_SUCH_THING").status, ValueStatus::Undefined);
  EXPECT_TRUE(c.values("NO_SUCH_THING").empty());
  // Labelled parameters must be asked for by label, as with CLI$PRESENT.
  EXPECT_EQ(c.present("P2"), Presence::Undefined);
  // WAIT belongs to START's syntax, not STATUS's.
  EXPECT_EQ(c.present("WAIT"), Presence::Undefined);
  EXPECT_FALSE(c.has_entity("WAIT"));
  EXPECT_TRUE(c.has_entity("OUTPUT"));
}

TEST(DclGetValue, KeywordPathsAndSyntaxNames) {
  ParsedCommand c = parse_ok(supervisor_cld(), "sup stat");  // SUP: verb abbreviated
  EXPECT_EQ(c.verb(), "SUPERVISOR");
  EXPECT_EQ(c.syntax_name(), "SUP_STATUS");
  EXPECT_EQ(c.action(), "STATUS");
  EXPECT_EQ(c.present("ACTION.STATUS"), Presence::Present);
  EXPECT_EQ(c.present("ACTION.START"), Presence::Absent);
  EXPECT_EQ(c.get_value("ACTION").value, "STATUS");
  EXPECT_FALSE(c.image().empty());  // inherited from the verb
}

// --- Verbs.

TEST(DclVerbs, TheVerbAbbreviatesAndUnknownVerbsFail) {
  EXPECT_EQ(parse_ok(supervisor_cld(), "SUPERVISOR STATUS").action(), "STATUS");
  EXPECT_EQ(parse_ok(supervisor_cld(), "super/conf=/etc/S.conf stop /all").values("CONFIGURATION"),
            std::vector<std::string>{"/etc/S.conf"});
  CliError e = parse_error(supervisor_cld(), "SUPERVISE STATUS");
  EXPECT_EQ(e.ident, "IVVERB");
  EXPECT_EQ(e.word, "SUPERVISE");
  EXPECT_EQ(parse_error(supervisor_cld(), "   ").ident, "NOCOMD");
  EXPECT_EQ(parse_error(supervisor_cld(), "$ status").ident, "NOCOMD");
  EXPECT_EQ(parse_error(supervisor_cld(), "/status").ident, "NOCOMD");
  EXPECT_EQ(parse_dcl_verb(supervisor_cld(), "NOVERB", "status").error->ident, "IVVERB");
}

// A test CLD with what the project's does not use: local and positional placement,
// keyword values, negatable keywords, DISALLOW operators, several verbs and a synonym.
constexpr const char* kTestCld = R"(
DEFINE VERB PRINT
    SYNONYM TYPESET
    PARAMETER P1, LABEL=FILES, PROMPT="File", VALUE(REQUIRED, LIST, TYPE=$FILE)
    QUALIFIER COPIES, PLACEMENT=POSITIONAL, VALUE(REQUIRED, TYPE=$NUMBER)
    QUALIFIER FLAG, PLACEMENT=LOCAL
    QUALIFIER PRIORITY, VALUE(LIST, TYPE=LEVELS)
    QUALIFIER NOTE, VALUE(DEFAULT="none")
    QUALIFIER TITLE, VALUE(REQUIRED, TYPE=$QUOTED_STRING)
DEFINE VERB PRIME
    NOPARAMETERS
DEFINE VERB CHECK
    QUALIFIER A
    QUALIFIER B
    QUALIFIER C
    QUALIFIER D, DEFAULT
    QUALIFIER E, VALUE(TYPE=LEVELS)
    DISALLOW ANY2(A, B, C)
    DISALLOW NEG D AND NOT E
    DISALLOW (A OR B) AND E.HIGH
DEFINE TYPE LEVELS
    KEYWORD LOW
    KEYWORD HIGH, NEGATABLE
    KEYWORD LEVEL, VALUE(REQUIRED, TYPE=$NUMBER)
)";

const cld::Model& test_cld() {
  static const cld::Model model = [] {
    auto r = cld::parse_cld(kTestCld, "TEST.CLD");
    EXPECT_TRUE(r.ok()) << (r.error ? r.error->text() : "");
    return r.model ? *r.model : cld::Model{};
  }();
  return model;
}

DclOptions vms_files() {
  DclOptions o;
  o.posix_file_values = false;  // "/" after a file name starts a qualifier, as on OpenVMS
  return o;
}

TEST(DclVerbs, AmbiguousVerbsAndSynonyms) {
  CliError e = parse_error(test_cld(), "PRI a.txt");
  EXPECT_EQ(e.ident, "ABVERB");
  EXPECT_EQ(e.word, "PRI");
  EXPECT_EQ(parse_ok(test_cld(), "PRIN a.txt").verb(), "PRINT");
  EXPECT_EQ(parse_ok(test_cld(), "typeset a.txt").verb(), "PRINT");
  EXPECT_EQ(parse_error(test_cld(), "PRIME x").ident, "MAXPARM");
}

TEST(DclPlacement, LocalQualifiersAttachToTheValueTheyFollow) {
  ParsedCommand c = parse_ok(test_cld(), "PRINT a.txt/copies=2, b.txt /flag", vms_files());
  EXPECT_EQ(c.present("COPIES"), Presence::Absent);  // no value fetched yet
  EXPECT_EQ(c.get_value("FILES").value, "A.TXT");
  EXPECT_EQ(c.present("COPIES"), Presence::LocalPresent);
  EXPECT_EQ(c.present("FLAG"), Presence::Absent);
  auto copies = c.get_value("COPIES");
  EXPECT_EQ(copies.value, "2");
  EXPECT_EQ(copies.status, ValueStatus::Last);
  EXPECT_EQ(c.get_value("FILES").value, "B.TXT");
  EXPECT_EQ(c.present("COPIES"), Presence::Absent);
  EXPECT_EQ(c.present("FLAG"), Presence::LocalPresent);
  EXPECT_EQ(c.present_at("COPIES", "FILES", 0), Presence::LocalPresent);
  EXPECT_EQ(c.present_at("FLAG", "FILES", 0), Presence::Absent);
}

TEST(DclPlacement, PositionalIsGlobalBeforeTheFirstParameter) {
  ParsedCommand c = parse_ok(test_cld(), "PRINT /copies=3 a.txt", vms_files());
  EXPECT_EQ(c.present("COPIES"), Presence::Present);
  EXPECT_EQ(c.values("COPIES"), std::vector<std::string>{"3"});
  c = parse_ok(test_cld(), "PRINT a.txt /noflag", vms_files());
  EXPECT_EQ(c.get_value("FILES").value, "A.TXT");  // the value FLAG is relative to
  EXPECT_EQ(c.present("FLAG"), Presence::LocalNegated);
  CliError e = parse_error(test_cld(), "PRINT /flag a.txt");
  EXPECT_EQ(e.ident, "IVQLOC");
  EXPECT_EQ(e.word, "FLAG");
}

TEST(DclPlacement, PosixFileParametersMayStartWithASlash) {
  // A "/word" that names no qualifier where a $FILE parameter is due is a POSIX path.
  ParsedCommand c = parse_ok(test_cld(), "PRINT /tmp/A.txt,/tmp/b/C.txt");
  EXPECT_EQ(c.values("FILES"), (std::vector<std::string>{"/tmp/A.txt", "/tmp/b/C.txt"}));
  c = parse_ok(test_cld(), "PRINT /copies=2 /Tmp");
  EXPECT_EQ(c.values("FILES"), std::vector<std::string>{"/Tmp"});
  EXPECT_EQ(c.present("COPIES"), Presence::Present);
  DclResult r = parse_dcl_command(test_cld(), "PRINT /tmp", vms_files());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->ident, "IVQUAL");  // on OpenVMS "/" always starts a qualifier
  EXPECT_EQ(r.error->word, "TMP");
}

TEST(DclKeywords, ValuesNegationAndErrors) {
  ParsedCommand c = parse_ok(test_cld(), "PRINT x /priority=(low,level=5,nohigh)");
  EXPECT_EQ(c.present("PRIORITY.LOW"), Presence::Present);
  EXPECT_EQ(c.present("PRIORITY.HIGH"), Presence::Negated);
  EXPECT_EQ(c.values("PRIORITY.LEVEL"), std::vector<std::string>{"5"});
  EXPECT_EQ(c.values("PRIORITY"), (std::vector<std::string>{"LOW", "LEVEL", "NOHIGH"}));
  EXPECT_EQ(c.present("NOTE"), Presence::Absent);
  c = parse_ok(test_cld(), "PRINT x /note");
  EXPECT_EQ(c.values("NOTE"), std::vector<std::string>{"none"});  // VALUE(DEFAULT=)
  c = parse_ok(test_cld(), "PRINT x /title=\"Hello, \"\"World\"\"\"");
  EXPECT_EQ(c.values("TITLE"), std::vector<std::string>{"\"Hello, \"\"World\"\"\""});
  struct {
    const char* line;
    const char* ident;
    const char* word;
  } bad[] = {{"PRINT x /priority=nolow", "NONEGATE", "NOLOW"},
             {"PRINT x /priority=level", "VALREQ", "LEVEL"},
             {"PRINT x /priority=lo=3", "NOVALU", "LO"},
             {"PRINT x /priority=zz", "IVKEYW", "ZZ"},
             {"PRINT x /priority=l", "ABKEYW", "L"},
             {"PRINT x /priority=level=abc", "NUMBER", "ABC"},
             {"PRINT x /copies=1 /copies", "VALREQ", "COPIES"}};
  for (const auto& b : bad) {
    CliError e = parse_error(test_cld(), b.line);
    EXPECT_EQ(e.ident, b.ident) << b.line;
    EXPECT_EQ(e.word, b.word) << b.line;
  }
}

TEST(DclDisallow, AnyTwoNegNotAndKeywordPaths) {
  EXPECT_TRUE(parse_dcl_command(test_cld(), "CHECK /a").ok());
  EXPECT_EQ(parse_error(test_cld(), "CHECK /a /b").word, "B");
  EXPECT_EQ(parse_error(test_cld(), "CHECK /c /a").word, "A");
  EXPECT_EQ(parse_error(test_cld(), "CHECK /nod").word, "NOD");
  EXPECT_TRUE(parse_dcl_command(test_cld(), "CHECK /nod /e=low").ok());
  EXPECT_EQ(parse_error(test_cld(), "CHECK /a /e=high").word, "HIGH");
  EXPECT_TRUE(parse_dcl_command(test_cld(), "CHECK /c /e=high").ok());
  ParsedCommand c = parse_ok(test_cld(), "CHECK");
  EXPECT_EQ(c.present("D"), Presence::Defaulted);
  EXPECT_TRUE(is_on(c.present("D")));
}

// --- argv from the POSIX shell.

TEST(DclArgv, JoinsWordsQuotingThoseWithSpaces) {
  EXPECT_EQ(join_argv({"start", "web", "/nowait"}), "start web /nowait");
  EXPECT_EQ(join_argv({"start", "my prog"}), "start \"my prog\"");
  EXPECT_EQ(join_argv({"/password=my \"secret\"", "status"}),
            "/password=\"my \"\"secret\"\"\" status");
  EXPECT_EQ(join_argv({"status", ""}), "status \"\"");
  EXPECT_EQ(join_argv({"help", "a!b"}), "help \"a!b\"");
}

TEST(DclArgv, NamesInSeparateShellWordsFillP2ToP8) {
  DclResult r = parse_dcl_argv(supervisor_cld(), "SUPERVISOR", {"start", "web", "worker,api"});
  ASSERT_TRUE(r.ok()) << r.error->message();
  EXPECT_EQ(r.command->values("PROGRAM_NAME"), std::vector<std::string>{"WEB"});
  EXPECT_EQ(r.command->values("PROGRAM_NAME_3"), (std::vector<std::string>{"WORKER", "API"}));
  // PID keeps one optional name: a second one is still too many.
  r = parse_dcl_argv(supervisor_cld(), "SUPERVISOR", {"pid", "web", "worker"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->ident, "MAXPARM");
}

TEST(DclArgv, ParsesShellWords) {
  DclResult r = parse_dcl_argv(supervisor_cld(), "SUPERVISOR",
                               {"start", "/password=my secret", "my prog", "/nowait"});
  ASSERT_TRUE(r.ok()) << r.error->message();
  EXPECT_EQ(r.command->values("PASSWORD"), std::vector<std::string>{"my secret"});
  EXPECT_EQ(r.command->values("PROGRAM_NAME"), std::vector<std::string>{"my prog"});
  EXPECT_EQ(r.command->present("WAIT"), Presence::Negated);
  r = parse_dcl_argv(supervisor_cld(), "SUPERVISOR",
                     {"status", "/configuration=/home/Me/sup.conf"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.command->values("CONFIGURATION"), std::vector<std::string>{"/home/Me/sup.conf"});
  r = parse_dcl_argv(supervisor_cld(), "SUPERVISOR", {"stat", "/prog"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->message(),
            "%CLI-W-VALREQ, missing qualifier or keyword value - supply all required values\n"
            " \\PROG\\");
}

// --- Prompting for missing required parameters.

TEST(DclPrompt, AsksWithThePromptTextAndParsesTheAnswer) {
  std::vector<std::string> asked;
  DclOptions o;
  o.prompt = [&](std::string_view text) -> std::optional<std::string> {
    asked.emplace_back(text);
    return std::string("start web /nowait");
  };
  DclResult r = parse_dcl_verb(supervisor_cld(), "SUPERVISOR", "/password=x", o);
  ASSERT_TRUE(r.ok()) << r.error->message();
  EXPECT_EQ(asked, std::vector<std::string>{"Action"});
  EXPECT_EQ(r.command->action(), "START");
  EXPECT_EQ(r.command->values("PROGRAM_NAME"), std::vector<std::string>{"WEB"});
  EXPECT_EQ(r.command->present("WAIT"), Presence::Negated);
  EXPECT_EQ(r.command->values("PASSWORD"), std::vector<std::string>{"X"});
}

TEST(DclPrompt, EmptyAnswersAskAgainAndEndOfFileGivesUp) {
  int calls = 0;
  DclOptions o;
  o.prompt = [&](std::string_view) -> std::optional<std::string> {
    return ++calls < 3 ? std::optional<std::string>("  ") : std::optional<std::string>("stat");
  };
  DclResult r = parse_dcl_verb(supervisor_cld(), "SUPERVISOR", "! nothing", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(r.command->action(), "STATUS");
  o.prompt = [](std::string_view) { return std::optional<std::string>(); };
  EXPECT_EQ(parse_dcl_verb(supervisor_cld(), "SUPERVISOR", "", o).error->ident, "INSFPRM");
  o.prompt = [](std::string_view) { return std::optional<std::string>(""); };  // forever
  EXPECT_EQ(parse_dcl_verb(supervisor_cld(), "SUPERVISOR", "", o).error->ident, "INSFPRM");
  o.prompt = [](std::string_view) { return std::optional<std::string>("bogus"); };
  EXPECT_EQ(parse_dcl_verb(supervisor_cld(), "SUPERVISOR", "", o).error->ident, "IVKEYW");
}

TEST(DclPrompt, UsesTheLabelWhenThereIsNoPromptText) {
  auto r = cld::parse_cld("DEFINE VERB V\n PARAMETER P1, LABEL=THING, VALUE(REQUIRED)\n");
  ASSERT_TRUE(r.ok());
  std::string asked;
  DclOptions o;
  o.prompt = [&](std::string_view text) {
    asked = std::string(text);
    return std::optional<std::string>("x");
  };
  EXPECT_TRUE(parse_dcl_command(*r.model, "V", o).ok());
  EXPECT_EQ(asked, "THING");
}

// --- $NUMBER.

TEST(DclNumber, DecimalHexOctal) {
  EXPECT_EQ(parse_dcl_number("42"), 42);
  EXPECT_EQ(parse_dcl_number("-7"), -7);
  EXPECT_EQ(parse_dcl_number("%X1f"), 31);
  EXPECT_EQ(parse_dcl_number("%o17"), 15);
  EXPECT_EQ(parse_dcl_number("%D99"), 99);
  EXPECT_EQ(parse_dcl_number("%XFFFFFFFF"), 0xFFFFFFFFLL);
  for (const char* bad : {"", "-", "%X", "%Q1", "1.5", "08x", "%O8", "2147483648", "%X100000000"}) {
    EXPECT_FALSE(parse_dcl_number(bad).has_value()) << bad;
  }
}

TEST(DclRobustness, OddLinesNeverCrash) {
  for (const char* line :
       {"start /program=((((a", "start /program=(a,(b))", "\"\"\"", "start /=/=/=", "start ,,,,",
        "start +", "start \"", "status /conf=", "start /program=(", "/", "////", "st!art",
        "start /timeout=%", "start /timeout=-", "help \"", "start a+", "pid )"}) {
    DclResult r = parse_dcl_verb(supervisor_cld(), "SUPERVISOR", line);
    EXPECT_TRUE(r.ok() || !r.error->ident.empty()) << line;
  }
}

}  // namespace
}  // namespace sup::cli
