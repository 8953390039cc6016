// SUPERVISORD_TABLE on OpenVMS: a shareable logical name table under
// LNM$SYSTEM_DIRECTORY, its names defined in supervisor mode (so that they outlive the
// daemon's image) with $CRELNM, read with $TRNLNM, removed with $DELLNM.
//
// OpenVMS has no service that lists the names of a table, so the table keeps its own
// index: the name SUPERVISORD_INDEX, a search list whose equivalence strings are the
// other names.  set() defines the name first and then adds it to the index; remove()
// deletes it and then drops it from the index; so a name can be in the index without
// being defined (names() skips it), never defined without being found (a crash between
// the two $CRELNMs of set() leaves a defined name the next set() or remove() indexes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/platform.hpp"

namespace sup::vms {

// The name of the index (see above); names() does not list it.
inline constexpr const char* kIndexName = "SUPERVISORD_INDEX";
// The most names the index holds: a search list has at most 128 equivalence strings
// (LNM$_INDEX 0-127).
inline constexpr std::size_t kMaxIndexed = 128;

class LnmTable : public platform::LogicalTable {
 public:
  explicit LnmTable(std::string table) : table_(std::move(table)) {}
  [[nodiscard]] std::string set(const std::string& name, const std::string& value) override;
  std::optional<std::string> get(const std::string& name) const override;
  [[nodiscard]] std::string remove(const std::string& name) override;
  // The indexed names that are defined, sorted.
  std::vector<std::string> names() const override;
  const std::string& name() const { return table_; }

 private:
  // The index's equivalence strings; empty when it is not defined.  Read once, then kept:
  // the table has one writer, the daemon that holds it (and this object is its only one).
  const std::vector<std::string>& index() const;
  [[nodiscard]] std::string write_index(const std::vector<std::string>& names);
  std::string table_;
  mutable std::optional<std::vector<std::string>> index_;
};

// True for a valid logical name of the table: [A-Z0-9_$]+, at most 255 characters.
bool valid_logical_name(const std::string& name);

// Creates the table under LNM$SYSTEM_DIRECTORY if it does not exist ($CRELNT with
// LNM$M_CREATE_IF), protection kPrivateProtection, supervisor mode.  Needs SYSPRV (or
// write access to the directory).  Returns an error text naming the table and the status.
[[nodiscard]] std::string create_table(const std::string& table);

}  // namespace sup::vms
