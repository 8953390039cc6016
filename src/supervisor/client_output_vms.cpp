// The client's platform part on OpenVMS (client_output.hpp): HELP is LBR$OUTPUT_HELP on
// the help library, conditions go out through $PUTMSG from the message section linked
// into the image.  The command a CLI parsed is read in client_verb_vms.cpp.
#include <cstdio>
#include <iostream>
#include <string>

#include "platform/vms/vms_help.hpp"
#include "platform/vms/vms_putmsg.hpp"
#include "supervisor/client_exec.hpp"
#include "supervisor/client_output.hpp"

namespace sup::client {
namespace {

// The help library the startup procedure installs (com/, README "Installing"):
// SUPERVISOR.HLB in the directory SUPERVISOR_DIR names, beside the image.
constexpr const char* kHelpLibrary = "SUPERVISOR_DIR:SUPERVISOR.HLB";

// A failure of $PUTMSG itself: the message as this image formats it, on stderr, and the
// service's status after it, so that nothing is lost.
void put_unformatted(std::uint32_t condition, const std::string& text, std::uint32_t status) {
  const msg::MessageDef* def = msg::lookup(condition);
  std::cerr << '%' << msg::kFacilityName << '-' << msg::severity_letter(msg::severity_of(condition))
            << '-' << (def ? def->ident : "NOMSG") << ", " << text << '\n';
  char hex[16];
  std::snprintf(hex, sizeof hex, "%08X", status);
  std::cerr << "(the message could not go out through $PUTMSG: status %X" << hex << ")\n";
}

}  // namespace

void report(std::uint32_t condition, const std::string& text) {
  if (msg::is_success(condition)) {  // supervisorctl's plain lines ("web: started")
    std::cout << text << '\n';
    return;
  }
  std::cout.flush();
  const std::uint32_t status = vms::put_message(condition & 0x0FFFFFFFu, text);
  if (!(status & 1u)) put_unformatted(condition, text, status);
}

std::uint32_t show_help(const commands::Request& r, bool interactive) {
  std::string keys = "SUPERVISOR";
  for (const std::string& t : r.help_topics) keys += " " + t;
  std::cout.flush();
  const std::uint32_t status = vms::output_help(kHelpLibrary, keys, interactive);
  if (status & 1u) return status;  // a missing topic too: HELP said "Sorry, ..."
  report(SUP__SYSERR, msg::text(SUP__SYSERR, {std::string(kHelpLibrary), "cannot show help"}));
  report(status, {});  // why: %RMS-E-FNF, ...
  return status | kMessageShown;
}

}  // namespace sup::client
