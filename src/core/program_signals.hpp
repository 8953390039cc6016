// A program's signals in the platform's portable terms: its configured stop method.
#pragma once

#include "config/config.hpp"
#include "platform/platform.hpp"

namespace sup::core {

// The platform's name for a configured signal.
platform::Signal to_platform(config::Signal signal);

// How a stop asks `program` to end: stopsignal, to the group when stopasgroup.
platform::StopMethod stop_method(const config::ProgramConfig& program);

}  // namespace sup::core
