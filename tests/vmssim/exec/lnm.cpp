// Logical names: see lnm.hpp.  Sources: spec 4.7 and 2.3 with their tags.
#include "exec/lnm.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace vmssim::lnm {
namespace {

namespace ss = mbx::ss;

std::string upcase(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

std::string downcase(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool same_name(std::string_view a, std::string_view b, bool case_blind) {
  if (!case_blind) return a == b;
  return a.size() == b.size() && upcase(a) == upcase(b);
}

Name alias(std::string name, std::vector<std::string> tables, std::uint8_t acmode) {
  Name n;
  n.name = std::move(name);
  n.acmode = acmode;
  for (auto& t : tables) n.eqv.push_back({std::move(t), 0});
  return n;
}

std::uint32_t charge(const Name& n) {
  std::uint32_t c = static_cast<std::uint32_t>(n.name.size());
  for (const auto& e : n.eqv) c += static_cast<std::uint32_t>(e.value.size());
  return c;  // [G] the bytes of the name and its strings
}

std::string job_table_name(std::uint32_t job) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "LNM$JOB_%08X", job);
  return buf;
}

}  // namespace

Lnm::Lnm(Options options) : options_(options) {
  // Spec 2.4 boot [M; C CSWS and GTM redefine these].
  Table dir;
  dir.name = kSystemDirectory;
  dir.shareable = true;
  dir.directory = true;
  dir.acmode = mbx::kKernelMode;
  dir.names.push_back(alias("LNM$SYSTEM", {"LNM$SYSTEM_TABLE"}, mbx::kKernelMode));
  dir.names.push_back(
      alias("LNM$FILE_DEV", {"LNM$PROCESS", "LNM$JOB", "LNM$SYSTEM"}, mbx::kKernelMode));
  dir.names.push_back(alias("LNM$PERMANENT_MAILBOX", {"LNM$SYSTEM"}, mbx::kKernelMode));
  shared_.emplace(dir.name, dir);
  Table sys;
  sys.name = "LNM$SYSTEM_TABLE";
  sys.shareable = true;
  sys.acmode = mbx::kKernelMode;
  shared_.emplace(sys.name, sys);
}

void Lnm::process_created(std::uint32_t pid, std::uint32_t job) {
  TableMap& mine = private_[pid];
  mine.clear();
  const std::string job_table = job_table_name(job);
  Table dir;
  dir.name = kProcessDirectory;
  dir.directory = true;
  dir.acmode = mbx::kKernelMode;
  dir.names.push_back(alias("LNM$PROCESS", {"LNM$PROCESS_TABLE"}, mbx::kKernelMode));
  dir.names.push_back(alias("LNM$JOB", {job_table}, mbx::kKernelMode));
  // Per process in the simulator (spec 2.4) [M].
  dir.names.push_back(alias("LNM$TEMPORARY_MAILBOX", {"LNM$JOB"}, mbx::kKernelMode));
  mine.emplace(dir.name, dir);
  Table proc;
  proc.name = "LNM$PROCESS_TABLE";
  proc.acmode = mbx::kKernelMode;
  mine.emplace(proc.name, proc);
  if (shared_.find(job_table) == shared_.end()) {
    Table jt;
    jt.name = job_table;
    jt.shareable = true;
    jt.acmode = mbx::kKernelMode;
    shared_.emplace(job_table, jt);
  }
}

void Lnm::process_gone(std::uint32_t pid) {
  private_.erase(pid);
}

void Lnm::job_gone(std::uint32_t job) {
  shared_.erase(job_table_name(job));
}

Lnm::Table* Lnm::find_table(std::uint32_t pid, std::string_view name) {
  return const_cast<Table*>(static_cast<const Lnm*>(this)->find_table(pid, name));
}

const Lnm::Table* Lnm::find_table(std::uint32_t pid, std::string_view name) const {
  auto p = private_.find(pid);
  if (p != private_.end()) {
    auto t = p->second.find(name);
    if (t != p->second.end()) return &t->second;
  }
  auto t = shared_.find(name);
  return t == shared_.end() ? nullptr : &t->second;
}

void Lnm::resolve(std::uint32_t pid, std::string_view tabnam, int depth,
                  std::vector<const Table*>* out, bool* found_name) const {
  if (depth > kMaxDepth) return;
  if (const Table* t = find_table(pid, tabnam)) {
    *found_name = true;
    out->push_back(t);
    return;
  }
  // A table name that is a logical name in a directory, the process's first [V HELP].
  const Table* dirs[2] = {find_table(pid, kProcessDirectory), find_table(pid, kSystemDirectory)};
  for (const Table* dir : dirs) {
    if (dir == nullptr || !dir->directory) continue;
    const Name* best = nullptr;
    for (const Name& n : dir->names) {
      if (n.name == tabnam && (best == nullptr || n.acmode > best->acmode)) best = &n;
    }
    if (best != nullptr) {
      *found_name = true;
      for (const Equivalence& e : best->eqv) resolve(pid, e.value, depth + 1, out, found_name);
      return;
    }
  }
}

Lnm::Table* Lnm::first_table(std::uint32_t pid, std::string_view tabnam, std::uint32_t* status) {
  std::vector<const Table*> tables;
  bool found = false;
  resolve(pid, tabnam, 0, &tables, &found);
  if (tables.empty()) {
    *status = found ? ss::kIvlogtab : ss::kNologtab;
    return nullptr;
  }
  *status = ss::kNormal;
  return const_cast<Table*>(tables.front());
}

bool Lnm::table_exists(const Caller& who, std::string_view tabnam) const {
  std::vector<const Table*> tables;
  bool found = false;
  resolve(who.pid, tabnam, 0, &tables, &found);
  return !tables.empty();
}

bool Lnm::writable_by(const Table& t, const Caller& who) {
  // The system table and directory need SYSNAM or SYSPRV [M, VMS-REFERENCE 5].
  if (t.name == "LNM$SYSTEM_TABLE" || t.name == kSystemDirectory) {
    return (who.privs & (mbx::kPrvSysnam | mbx::kPrvSysprv)) != 0;
  }
  return true;
}

std::uint32_t Lnm::crelnt(const Caller& who, std::uint32_t attr, std::string_view tabnam,
                          std::string_view partab, std::uint32_t quota, std::uint8_t acmode,
                          std::string* resnam) {
  // $CRELNT upcases tabnam [V HELP, VMS-REFERENCE 5].
  if (tabnam.empty() || tabnam.size() > kTabNameLength) return ss::kIvlognam;
  const std::string name = upcase(tabnam);
  std::uint32_t status = 0;
  Table* parent = first_table(who.pid, partab, &status);
  if (parent == nullptr) return status;
  if (parent->shareable) {
    // In the system directory: SYSPRV, or SYSNAM for exec mode [M spec 4.7].
    const std::uint64_t need =
        acmode <= mbx::kExecMode ? mbx::kPrvSysnam : (mbx::kPrvSysprv | mbx::kPrvSysnam);
    if ((who.privs & need) == 0) return ss::kNopriv;
  }
  TableMap& where = parent->shareable ? shared_ : private_[who.pid];
  if (resnam != nullptr) *resnam = name;
  auto it = where.find(name);
  if (it != where.end()) {
    if (attr & kCreateIf) return ss::kNormal;  // [C VICAR, INGRES; T GOVAX]
    // Without CREATE_IF an existing table is replaced and its names are lost [T GOVAX].
    it->second.names.clear();
    it->second.used = 0;
    it->second.quota = quota;
    it->second.acmode = acmode;
    return ss::kSupersede;
  }
  Table t;
  t.name = name;
  t.shareable = parent->shareable;
  t.quota = quota;
  t.acmode = acmode;
  where.emplace(name, std::move(t));
  return (attr & kCreateIf) ? ss::kLnmcreated : ss::kNormal;
}

std::uint32_t Lnm::crelnm(const Caller& who, std::uint32_t attr, std::string_view tabnam,
                          std::string_view lognam, std::uint8_t acmode, const Name& value) {
  if (lognam.empty() || lognam.size() > kNameLength) return ss::kIvlognam;
  for (const auto& e : value.eqv) {
    if (e.value.size() > kNameLength) return ss::kIvlognam;
  }
  // tabnam is taken as given, never upcased [V HELP $CRELNM].
  std::uint32_t status = 0;
  Table* t = first_table(who.pid, tabnam, &status);
  if (t == nullptr) return status;
  if (acmode < mbx::kUserMode && (who.privs & mbx::kPrvSysnam) == 0) return ss::kNopriv;
  if (!writable_by(*t, who)) return ss::kNopriv;
  Name n = value;
  n.name = std::string(lognam);
  n.acmode = acmode;
  n.attributes = (value.attributes | attr) & (kConfine | kNoAlias);
  const std::uint32_t cost = charge(n);
  for (Name& old : t->names) {
    if (old.name == n.name && old.acmode == acmode) {
      const std::uint32_t after = t->used - charge(old) + cost;
      if (t->quota != 0 && after > t->quota) return ss::kExlnmquota;
      t->used = after;
      old = std::move(n);
      return ss::kSupersede;
    }
  }
  if (t->quota != 0 && t->used + cost > t->quota) return ss::kExlnmquota;
  t->used += cost;
  t->names.push_back(std::move(n));
  return ss::kNormal;
}

Translation Lnm::trnlnm(const Caller& who, std::uint32_t attr, std::string_view tabnam,
                        std::string_view lognam, int acmode) const {
  Translation r;
  std::vector<const Table*> tables;
  bool found = false;
  resolve(who.pid, tabnam, 0, &tables, &found);
  if (tables.empty()) {
    r.status = options_.trnlnm_notab;  // variant: sources disagree [T]
    return r;
  }
  const bool blind = (attr & kCaseBlind) != 0;
  for (const Table* t : tables) {
    const Name* best = nullptr;
    for (const Name& n : t->names) {
      if (!same_name(n.name, lognam, blind)) continue;
      if (acmode >= 0 && n.acmode > acmode) continue;
      // The outermost (least privileged) mode's name wins [M].
      if (best == nullptr || n.acmode > best->acmode) best = &n;
    }
    if (best != nullptr) {
      r.status = ss::kNormal;
      r.table = t->name;
      r.name = *best;
      return r;
    }
  }
  r.status = ss::kNologname;
  return r;
}

std::uint32_t Lnm::dellnm(const Caller& who, std::string_view tabnam, std::string_view lognam,
                          int acmode) {
  const std::uint8_t mode = acmode < 0 ? mbx::kUserMode : static_cast<std::uint8_t>(acmode);
  std::uint32_t status = 0;
  Table* t = first_table(who.pid, tabnam, &status);
  if (t == nullptr) return status;
  if (mode < mbx::kUserMode && (who.privs & mbx::kPrvSysnam) == 0) return ss::kNopriv;
  if (!writable_by(*t, who)) return ss::kNopriv;
  if (t->directory && !lognam.empty()) {
    // A table in this directory is deleted with its names [V HELP $DELLNM].
    TableMap& where = t->shareable ? shared_ : private_[who.pid];
    auto it = where.find(lognam);
    if (it != where.end() && !it->second.directory) {
      where.erase(it);
      return ss::kNormal;
    }
  }
  std::size_t removed = 0;
  auto& names = t->names;
  for (auto it = names.begin(); it != names.end();) {
    if ((lognam.empty() || it->name == lognam) && it->acmode >= mode) {
      t->used -= charge(*it);
      it = names.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  if (removed == 0 && !lognam.empty()) return ss::kNologname;  // [C INGRES]
  return ss::kNormal;
}

// --- File specs ---

bool load_device_table(const std::string& path, DeviceTable* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string dev, dir;
    if (!(fields >> dev >> dir)) continue;
    if (!dev.empty() && dev.back() == ':') dev.pop_back();
    out->dirs[upcase(dev)] = dir;
  }
  return true;
}

namespace {

// "[A.B]NAME.TYP;n" -> "a/b/name.typ" [G]; false on a directory without its bracket.
bool vms_to_relative(std::string_view rest, std::string* out) {
  std::string r;
  if (!rest.empty() && (rest[0] == '[' || rest[0] == '<')) {
    const char close = rest[0] == '[' ? ']' : '>';
    const auto end = rest.find(close);
    if (end == std::string_view::npos) return false;
    std::string_view dirs = rest.substr(1, end - 1);
    rest = rest.substr(end + 1);
    while (!dirs.empty()) {
      const auto dot = dirs.find('.');
      std::string_view part = dirs.substr(0, dot);
      if (!part.empty() && part != "000000") r += downcase(part) + "/";
      if (dot == std::string_view::npos) break;
      dirs = dirs.substr(dot + 1);
    }
  }
  std::string_view leaf = rest.substr(0, rest.find(';'));  // versions ignored
  if (!leaf.empty() && leaf.back() == '.') leaf.remove_suffix(1);
  r += downcase(leaf);
  *out = r;
  return true;
}

bool mailbox_unit(std::string_view dev, std::uint32_t* unit) {
  if (dev.size() < 4 || dev.substr(0, 3) != "MBA") return false;
  std::uint32_t n = 0;
  for (char c : dev.substr(3)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    n = n * 10 + static_cast<std::uint32_t>(c - '0');
  }
  *unit = n;
  return true;
}

}  // namespace

std::string translate_device(const Lnm& lnm, const Caller& who, std::string_view name) {
  std::string s = upcase(name);
  const auto colon = s.find(':');
  if (colon != std::string::npos) s.erase(colon);
  for (int i = 0; i < kMaxDepth; ++i) {
    if (!s.empty() && s[0] == '_') return s.substr(1);  // `_` stops translation [T GOVAX]
    Translation t = lnm.trnlnm(who, 0, "LNM$FILE_DEV", s, -1);
    if (t.status != ss::kNormal || t.name.eqv.empty()) return s;
    // The device part of the equivalence, up to its colon.
    s = upcase(t.name.eqv[0].value);
    const auto colon = s.find(':');
    if (colon != std::string::npos) s.erase(colon);
  }
  return s;
}

FileSpec translate_filespec(const Lnm& lnm, const Caller& who, const DeviceTable& devices,
                            std::string_view spec) {
  FileSpec r;
  std::string s(spec);
  if (!s.empty() && s[0] == '/') {  // an absolute Linux path passes unchanged [G]
    r.status = ss::kNormal;
    r.path = s;
    return r;
  }
  for (int i = 0; i < kMaxDepth; ++i) {
    if (!s.empty() && s[0] == '_') {
      s.erase(0, 1);
      break;
    }
    const auto colon = s.find(':');
    if (colon == std::string::npos || s[0] == '/') break;
    const std::string name = upcase(std::string_view(s).substr(0, colon));
    const std::string rest = s.substr(colon + 1);
    Translation t = lnm.trnlnm(who, 0, "LNM$FILE_DEV", name, -1);
    if (t.status != ss::kNormal || t.name.eqv.empty()) break;
    const std::string& eqv = t.name.eqv[0].value;
    if (!eqv.empty() && eqv[0] == '/') {
      // A logical name for a Linux directory or file: the rest is a VMS name under it.
      std::string rel;
      if (!vms_to_relative(rest, &rel)) {
        r.status = ss::kIvdevnam;
        return r;
      }
      r.status = ss::kNormal;
      r.path = eqv;
      if (!rel.empty()) {
        if (r.path.back() != '/') r.path += '/';
        r.path += rel;
      }
      return r;
    }
    if (eqv.find_first_of(":[<") == std::string::npos) {
      s = eqv + ":" + rest;  // a bare device name
    } else {
      s = eqv + rest;  // DEV:[DIR] + NAME.TYP
    }
  }
  const auto colon = s.find(':');
  std::string rel;
  if (colon == std::string::npos) {
    // No device: relative to the current directory [G].
    if (!vms_to_relative(s, &rel)) {
      r.status = ss::kIvdevnam;
      return r;
    }
    r.status = ss::kNormal;
    r.path = rel;
    return r;
  }
  const std::string dev = upcase(std::string_view(s).substr(0, colon));
  const std::string_view rest = std::string_view(s).substr(colon + 1);
  if (dev == "NL" || dev == "NLA0") {  // NL: is /dev/null [G]
    r.status = ss::kNormal;
    r.kind = FileSpec::Kind::kNull;
    r.path = "/dev/null";
    return r;
  }
  if (mailbox_unit(dev, &r.unit)) {
    r.status = ss::kNormal;
    r.kind = FileSpec::Kind::kMailbox;
    return r;
  }
  auto d = devices.dirs.find(dev);
  if (d == devices.dirs.end()) {
    r.status = ss::kNosuchdev;
    return r;
  }
  if (!vms_to_relative(rest, &rel)) {
    r.status = ss::kIvdevnam;
    return r;
  }
  r.status = ss::kNormal;
  r.path = d->second;
  if (!rel.empty()) {
    if (r.path.empty() || r.path.back() != '/') r.path += '/';
    r.path += rel;
  }
  return r;
}

}  // namespace vmssim::lnm
