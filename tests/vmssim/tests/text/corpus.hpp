// Reading the public corpus (SUP_CORPUS_DIR, by default ../shared/corpus beside the sources:
// outside the repository): some files are in OpenVMS variable-length record format (a length word
// before each record, records padded to an even size), as copied from a VMS disk; those are turned
// into lines first, as RMS would deliver them to the utility.
#pragma once

#include <dirent.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vmssim_test {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string records_to_lines(const std::string& raw) {
  if (raw.find('\0') == std::string::npos) return raw;  // already stream text
  std::string out;
  std::size_t i = 0;
  while (i + 2 <= raw.size()) {
    std::size_t len = static_cast<unsigned char>(raw[i]) |
                      (static_cast<std::size_t>(static_cast<unsigned char>(raw[i + 1])) << 8);
    i += 2;
    if (len == 0xFFFF || i + len > raw.size()) break;
    out.append(raw, i, len);
    out += '\n';
    i += len + (len & 1);
  }
  return out;
}

// The files of `dir` ending in `ext` (either case); empty when the directory is missing.
inline std::vector<std::string> corpus_files(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() <= ext.size()) continue;
    std::string tail = name.substr(name.size() - ext.size());
    for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (tail == ext) out.push_back(dir + "/" + name);
  }
  closedir(d);
  return out;
}

}  // namespace vmssim_test
