#include "help/hlp_embedded.hpp"

#include "msg/embedded.hpp"

namespace sup::help {
namespace {

Library load_supervisor_help() {
  auto parsed = parse_hlp(sup::embedded::hlp_source);
  if (parsed.ok()) return std::move(parsed.library);
  Library fallback;
  Topic topic;
  topic.key = "SUPERVISOR";
  topic.level = 1;
  topic.line = parsed.error->line;
  topic.text = {"  The help library help/SUPERVISOR.HLP is damaged:",
                "  " + parsed.error->to_string()};
  fallback.root.subtopics.push_back(std::move(topic));
  return fallback;
}

}  // namespace

const Library& supervisor_help() {
  static const Library library = load_supervisor_help();
  return library;
}

}  // namespace sup::help
