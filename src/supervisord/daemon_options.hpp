// supervisord's command line: the seed's options (-c, -n, -p, -h and their long forms),
// plus --password-file (a -p argument shows in ps) and --check.
#pragma once

#include <string>

#include "msg/message.hpp"

namespace sup::daemon {

struct Options {
  std::string config_file;  // -c; default ./supervisord.conf, else /etc/supervisord.conf
  bool nodaemon = false;    // -n
  std::string password;     // -p, else --password-file, else $SUPERVISOR_PASSWORD
  bool help = false;        // -h
  bool check_only = false;  // --check: validate the configuration and exit
  bool vms_rules = false;   // --vms (with --check): validate with OpenVMS rules
};

// Reads the password from the first line of a file that only its owner may read, as the
// backend judges it (posix::read_password_file, vms::read_password_file): true, or false
// with the reason in `error`.  Portable code cannot check who may read a file.
using PasswordFileReader = bool (*)(const std::string& path, std::string& out, std::string& error);

// Parses argv; --password-file is read with `read_password_file`.  On a usage error
// returns SUP__USAGE with a text naming the argument.
msg::Condition parse_options(int argc, char** argv, PasswordFileReader read_password_file,
                             Options& out);

// The -h text.
std::string usage();

}  // namespace sup::daemon
