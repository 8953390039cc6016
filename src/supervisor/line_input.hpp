// Line input for the client: libedit's readline (line editing and recall) when stdin is
// a terminal and the build found libedit, plain std::getline otherwise.
#pragma once

#include <optional>
#include <string>

namespace sup::client {

// Shows `prompt` and reads one line; nullopt at end of input (Ctrl-D).
std::optional<std::string> read_input(const std::string& prompt);

}  // namespace sup::client
