#include "help/hlp_format.hpp"

namespace sup::help {
namespace {

bool is_qualifier_name(const std::string& name) {
  return !name.empty() && name.front() == '/';
}

// The cells a name occupies: at least one blank after it, rounded up to the grid.
std::size_t cell_width(const std::string& name) {
  return (name.size() / kHelpColumnWidth + 1) * kHelpColumnWidth;
}

void finish_row(std::string& row, std::vector<std::string>& rows) {
  while (!row.empty() && row.back() == ' ') row.pop_back();
  if (!row.empty()) rows.push_back(row);
  row.clear();
}

}  // namespace

std::vector<std::string> format_columns(const std::vector<std::string>& names, std::size_t width) {
  std::vector<std::string> rows;
  std::string row;
  bool row_is_qualifiers = false;
  for (const auto& name : names) {
    const bool qualifier = is_qualifier_name(name);
    const bool full = !row.empty() && row.size() + name.size() > width;
    if (!row.empty() && (full || qualifier != row_is_qualifiers)) finish_row(row, rows);
    if (row.empty()) {
      row.assign(kHelpListIndent, ' ');
      row_is_qualifiers = qualifier;
    }
    row += name;
    row.append(cell_width(name) - name.size(), ' ');
  }
  finish_row(row, rows);
  return rows;
}

}  // namespace sup::help
