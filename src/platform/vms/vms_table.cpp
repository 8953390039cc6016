#include "platform/vms/vms_table.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include "platform/vms/vms_sys.hpp"

namespace sup::vms {
namespace {

// PSL$C_SUPER: names and table survive the image (user-mode names would not).
constexpr unsigned char kSupervisorMode = 2;
constexpr const char* kParentDirectory = "LNM$SYSTEM_DIRECTORY";

void item(ILE3& e, unsigned short code, void* buf, unsigned short len, unsigned short* retlen) {
  e.ile3$w_length = len;
  e.ile3$w_code = code;
  e.ile3$ps_bufaddr = buf;
  e.ile3$ps_retlen_addr = retlen;
}

void end_list(ILE3& e) {
  std::memset(&e, 0, sizeof e);
}

// $TRNLNM of `name` at index `index` in `table`: the equivalence string, nullopt when
// the name (or that index) is not there, an error status in `status` otherwise.
std::optional<std::string> translate(const std::string& table, const std::string& name, int index,
                                     std::uint32_t& status, int* max_index) {
  Text32 tab(table), log(name);
  if (!tab.fits() || !log.fits()) {
    status = SS$_IVLOGNAM;
    return std::nullopt;
  }
  char value[256];
  unsigned short value_len = 0;
  int idx = index, max = -1;
  ILE3 items[4];
  item(items[0], LNM$_INDEX, &idx, sizeof idx, nullptr);
  item(items[1], LNM$_STRING, value, 255, &value_len);
  item(items[2], LNM$_MAX_INDEX, &max, sizeof max, nullptr);
  end_list(items[3]);
  unsigned char mode = kSupervisorMode;
  status = sys$trnlnm(nullptr, tab.get(), log.get(), &mode, items);
  if (!ok(status)) return std::nullopt;
  if (max_index) *max_index = max;
  if (max < index) return std::nullopt;  // defined, but without that equivalence
  return std::string(value, value_len);
}

bool absent(std::uint32_t status) {
  return status == SS$_NOLOGNAM;
}

}  // namespace

bool valid_logical_name(const std::string& name) {
  if (name.empty() || name.size() > Text32::kCapacity) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  });
}

std::string create_table(const std::string& table) {
  Text32 tab(table), parent(kParentDirectory);
  if (!tab.fits()) return "invalid table name " + table;
  unsigned int attr = LNM$M_CREATE_IF;
  unsigned short promsk = kPrivateProtection;
  unsigned char mode = kSupervisorMode;
  unsigned int quota = 0;  // no quota: the table holds one name per program
  const std::uint32_t status =
      sys$crelnt(&attr, nullptr, nullptr, &quota, &promsk, tab.get(), parent.get(), &mode);
  // SS$_LNMCREATED: created; SS$_NORMAL: it existed (CREATE_IF).
  if (!ok(status)) return failure("cannot create the logical name table " + table, status);
  return "";
}

std::string LnmTable::set(const std::string& name, const std::string& value) {
  if (!valid_logical_name(name) || name == kIndexName)
    return "invalid logical name \"" + name + "\" (expected A-Z, 0-9, _ or $, at most 255)";
  Text32 tab(table_), log(name);
  char buf[256];
  if (value.size() > Text32::kCapacity)
    return "the value of " + name + " is longer than 255 characters";
  value.copy(buf, value.size());
  ILE3 items[2];
  item(items[0], LNM$_STRING, buf, static_cast<unsigned short>(value.size()), nullptr);
  end_list(items[1]);
  unsigned char mode = kSupervisorMode;
  const std::uint32_t status = sys$crelnm(nullptr, tab.get(), log.get(), &mode, items);
  // SS$_SUPERSEDE (a redefinition) is a success too.
  if (!ok(status)) return failure("cannot define " + name + " in " + table_, status);
  auto names = index();  // a copy: written back only when the index is updated
  if (std::find(names.begin(), names.end(), name) != names.end()) return "";
  names.push_back(name);
  return write_index(names);
}

std::optional<std::string> LnmTable::get(const std::string& name) const {
  if (!valid_logical_name(name)) return std::nullopt;
  std::uint32_t status = 0;
  return translate(table_, name, 0, status, nullptr);
}

std::string LnmTable::remove(const std::string& name) {
  if (!valid_logical_name(name) || name == kIndexName) return "invalid logical name " + name;
  Text32 tab(table_), log(name);
  unsigned char mode = kSupervisorMode;
  const std::uint32_t status = sys$dellnm(tab.get(), log.get(), &mode);
  if (!ok(status) && !absent(status))
    return failure("cannot delete " + name + " from " + table_, status);
  auto names = index();
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return "";
  names.erase(it);
  return write_index(names);
}

std::vector<std::string> LnmTable::names() const {
  std::vector<std::string> out;
  for (const auto& n : index())
    if (get(n)) out.push_back(n);
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<std::string>& LnmTable::index() const {
  if (index_) return *index_;
  std::vector<std::string> out;
  std::uint32_t status = 0;
  int max = -1;
  if (auto first = translate(table_, kIndexName, 0, status, &max)) {
    out.push_back(*first);
    for (int i = 1; i <= max; ++i)
      if (auto v = translate(table_, kIndexName, i, status, nullptr)) out.push_back(*v);
  }
  index_ = std::move(out);
  return *index_;
}

std::string LnmTable::write_index(const std::vector<std::string>& names) {
  Text32 tab(table_), log(kIndexName);
  unsigned char mode = kSupervisorMode;
  if (names.empty()) {
    const std::uint32_t status = sys$dellnm(tab.get(), log.get(), &mode);
    if (!ok(status) && !absent(status))
      return failure("cannot delete " + std::string(kIndexName) + " from " + table_, status);
    index_ = names;
    return "";
  }
  if (names.size() > kMaxIndexed)
    return "the table " + table_ + " cannot index more than " + std::to_string(kMaxIndexed) +
           " names";
  // The equivalence strings, one after the other, in one stack buffer (32-bit).
  char buf[kMaxIndexed * 64];  // program keys are at most 55 characters
  ILE3 items[kMaxIndexed + 1];
  std::size_t used = 0, n = 0;
  for (const auto& name : names) {
    if (used + name.size() > sizeof buf) return "the index of the table " + table_ + " is full";
    name.copy(buf + used, name.size());
    item(items[n++], LNM$_STRING, buf + used, static_cast<unsigned short>(name.size()), nullptr);
    used += name.size();
  }
  end_list(items[n]);
  const std::uint32_t status = sys$crelnm(nullptr, tab.get(), log.get(), &mode, items);
  if (!ok(status)) return failure("cannot update " + std::string(kIndexName), status);
  index_ = names;
  return "";
}

}  // namespace sup::vms
