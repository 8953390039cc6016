// Every part's request handlers, registered when the executive starts.  A part adds ONE
// line here (see ../DESIGN.md, "How to add a service").
#include "exec/server.hpp"

namespace vmssim::exec {

void register_mailbox_services(Server& server);  // mailbox_services.cpp (MBX)

void register_all_services(Server& server) {
  register_core_services(server);
  register_process_services(server);
  register_mailbox_services(server);
}

}  // namespace vmssim::exec
