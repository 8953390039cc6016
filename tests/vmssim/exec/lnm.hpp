// Logical names (spec 4.7) as a state machine of the executive: the system directory and
// its shareable tables, each process's directory and tables, search lists, and the
// file-spec translation of spec 2.3.  No sockets: the server calls these with the caller's
// identity and sends the results back.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exec/mbx_codes.hpp"

namespace vmssim::lnm {

using mbx::Caller;

// LNM$M_* attributes [V VSIPY lnmdef].
constexpr std::uint32_t kNoAlias = 0x1;
constexpr std::uint32_t kConfine = 0x2;
constexpr std::uint32_t kTable = 0x8;
constexpr std::uint32_t kConcealed = 0x100;
constexpr std::uint32_t kTerminal = 0x200;
constexpr std::uint32_t kExists = 0x400;
constexpr std::uint32_t kShareable = 0x10000;
constexpr std::uint32_t kCreateIf = 0x1000000;
constexpr std::uint32_t kCaseBlind = 0x2000000;
constexpr std::size_t kNameLength = 255;    // LNM$C_NAMLENGTH
constexpr std::size_t kTabNameLength = 31;  // LNM$C_TABNAMLEN
constexpr int kMaxDepth = 10;               // LNM$C_MAXDEPTH

constexpr const char* kSystemDirectory = "LNM$SYSTEM_DIRECTORY";
constexpr const char* kProcessDirectory = "LNM$PROCESS_DIRECTORY";

// One equivalence string with its own attributes (CONCEALED, TERMINAL).
struct Equivalence {
  std::string value;
  std::uint32_t attributes = 0;
};

// A logical name: one per (name, access mode) in a table.
struct Name {
  std::string name;
  std::uint8_t acmode = mbx::kUserMode;
  std::uint32_t attributes = 0;  // CONFINE, NO_ALIAS, TABLE
  std::vector<Equivalence> eqv;
};

// The result of $TRNLNM: the whole name, so the client fills any item list from it.
struct Translation {
  std::uint32_t status = 0;
  std::string table;  // the table it was found in (LNM$_TABLE)
  Name name;
};

struct Options {
  // Variant trnlnm_notab (spec 2.5): $TRNLNM of a missing table.
  std::uint32_t trnlnm_notab = mbx::ss::kNologname;
};

class Lnm {
 public:
  // Boots the name space (spec 2.4): LNM$SYSTEM_DIRECTORY, LNM$SYSTEM_TABLE, LNM$SYSTEM,
  // LNM$FILE_DEV, LNM$PERMANENT_MAILBOX.
  explicit Lnm(Options options = {});

  // A process appears: its LNM$PROCESS_DIRECTORY, LNM$PROCESS_TABLE, the aliases LNM$PROCESS,
  // LNM$JOB, LNM$TEMPORARY_MAILBOX, and the job's table LNM$JOB_<job> unless it exists.
  void process_created(std::uint32_t pid, std::uint32_t job);
  // The process's private tables go.
  void process_gone(std::uint32_t pid);
  // The job's table goes (its last process ended).
  void job_gone(std::uint32_t job);

  // $CRELNT: tabnam is upcased; partab names the parent (a directory or a table).  Returns
  // LNMCREATED/NORMAL with CREATE_IF, NORMAL/SUPERSEDE without; NOLOGTAB (no parent),
  // IVLOGNAM, NOPRIV.  *resnam receives the table's name.  quota 0 means none.
  std::uint32_t crelnt(const Caller& who, std::uint32_t attr, std::string_view tabnam,
                       std::string_view partab, std::uint32_t quota, std::uint8_t acmode,
                       std::string* resnam);

  // $CRELNM: tabnam is NOT upcased.  NORMAL, SUPERSEDE, NOLOGTAB, IVLOGNAM, IVLOGTAB, NOPRIV,
  // EXLNMQUOTA.
  std::uint32_t crelnm(const Caller& who, std::uint32_t attr, std::string_view tabnam,
                       std::string_view lognam, std::uint8_t acmode, const Name& value);

  // $TRNLNM, one level.  acmode < 0: any mode.  NORMAL, NOLOGNAM, or the trnlnm_notab
  // variant for a missing table.
  Translation trnlnm(const Caller& who, std::uint32_t attr, std::string_view tabnam,
                     std::string_view lognam, int acmode) const;

  // $DELLNM: NORMAL, NOLOGNAM, NOLOGTAB, NOPRIV.  An empty lognam deletes every name of
  // the table at acmode or outer modes.  A lognam naming a table in the directory tabnam
  // deletes that table.  acmode < 0: user mode.
  std::uint32_t dellnm(const Caller& who, std::string_view tabnam, std::string_view lognam,
                       int acmode);

  // True when `tabnam` resolves to at least one table for `who`.
  bool table_exists(const Caller& who, std::string_view tabnam) const;

 private:
  struct Table {
    std::string name;
    bool shareable = false;
    bool directory = false;
    std::uint32_t quota = 0;  // 0: none [M]
    std::uint32_t used = 0;
    std::uint8_t acmode = mbx::kUserMode;
    std::vector<Name> names;
  };
  using TableMap = std::map<std::string, Table, std::less<>>;

  Table* find_table(std::uint32_t pid, std::string_view name);
  const Table* find_table(std::uint32_t pid, std::string_view name) const;
  // Expands tabnam through table aliases in the directories (process first), iteratively,
  // into the tables it names, in order.  *alias_only is set when tabnam named something
  // that led to no table.
  void resolve(std::uint32_t pid, std::string_view tabnam, int depth,
               std::vector<const Table*>* out, bool* found_name) const;
  Table* first_table(std::uint32_t pid, std::string_view tabnam, std::uint32_t* status);
  static bool writable_by(const Table& t, const Caller& who);

  Options options_;
  TableMap shared_;                            // LNM$SYSTEM_DIRECTORY and its tables
  std::map<std::uint32_t, TableMap> private_;  // per process
};

// --- File specs (spec 2.3) ---

// The device table of the simulated root: device name (upper case, no colon) -> Linux
// directory.
struct DeviceTable {
  std::map<std::string, std::string> dirs;
};

// Reads a device table file: one `NAME /linux/dir` per line, `#` comments [G].
bool load_device_table(const std::string& path, DeviceTable* out);

struct FileSpec {
  enum class Kind { kPath, kNull, kMailbox };
  std::uint32_t status = 0;  // NORMAL, NOSUCHDEV (unknown device), IVDEVNAM (syntax)
  Kind kind = Kind::kPath;
  std::string path;        // kPath: the Linux path; kNull: /dev/null
  std::uint32_t unit = 0;  // kMailbox: MBAn
};

// Translates a file spec for process `who`: the leftmost `name:` iteratively through
// LNM$FILE_DEV (a leading `_` stops it) [T GOVAX]; then DEV:[A.B]NAME.TYP;n through the
// device table to dir/a/b/name.typ, case-blind, versions ignored; NL: -> /dev/null; MBAn:
// -> a mailbox; an absolute Linux path passes unchanged [G].
FileSpec translate_filespec(const Lnm& lnm, const Caller& who, const DeviceTable& devices,
                            std::string_view spec);

// Iterative translation of a device or logical name through LNM$FILE_DEV (used by $ASSIGN
// and by translate_filespec): returns the final name, without a leading `_`.
std::string translate_device(const Lnm& lnm, const Caller& who, std::string_view name);

}  // namespace vmssim::lnm
