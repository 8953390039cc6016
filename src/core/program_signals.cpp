#include "core/program_signals.hpp"

#include <array>
#include <utility>

namespace sup::core {
namespace {

using config::Signal;
using PS = platform::Signal;

constexpr std::array<std::pair<Signal, PS>, 7> kMap{{
    {Signal::Hup, PS::Hup},
    {Signal::Int, PS::Int},
    {Signal::Quit, PS::Quit},
    {Signal::Kill, PS::Kill},
    {Signal::Term, PS::Term},
    {Signal::Usr1, PS::Usr1},
    {Signal::Usr2, PS::Usr2},
}};

}  // namespace

platform::Signal to_platform(config::Signal signal) {
  for (const auto& [c, p] : kMap)
    if (c == signal) return p;
  return PS::Term;
}

platform::StopMethod stop_method(const config::ProgramConfig& program) {
  return platform::StopMethod{to_platform(program.stopsignal), program.stopasgroup};
}

}  // namespace sup::core
