#include "supervisor/client_exec.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "core/protocol.hpp"
#include "supervisor/client_output.hpp"
#include "supervisor/client_transport.hpp"

namespace sup::client {
namespace {

using msg::Condition;

// /TIMEOUT values above this many seconds (23 days) wait for ever: the grace period
// added in milliseconds must stay within an int.
constexpr unsigned kMaxTimedWait = 2'000'000;

// The request as sent: with the password of $SUPERVISOR_PASSWORD when none was given.
commands::Request with_password(const commands::Request& r) {
  commands::Request q = r;
  if (!r.password_given)
    if (const char* env = std::getenv("SUPERVISOR_PASSWORD")) q.password = env;
  return q;
}

// How long to wait for each reply record: for ever for an action that waits for an
// outcome (the command list says which) without /TIMEOUT or with one too large for a
// millisecond int (the daemon then reports the timeout itself), else the daemon's own
// time plus 30 s of grace.
int reply_wait_ms(const commands::Request& r) {
  const bool waits = r.wait && commands::spec(r.action).waits;
  if ((waits && r.timeout == 0) || r.timeout > kMaxTimedWait) return -1;
  return static_cast<int>((std::int64_t{r.timeout} + 30) * 1000);
}

std::uint32_t fail(const Condition& c) {
  report(c.value, c.text());
  return c.value | kMessageShown;
}

// Receives Lines until the Final; returns the Final's condition.
std::uint32_t receive_reply(platform::ClientChannel& ch, const commands::Request& r,
                            const std::string& socket, std::ostream& out) {
  const int timeout_ms = reply_wait_ms(r);
  for (;;) {
    std::string error;
    auto record = ch.receive(timeout_ms, error);
    if (!record) {
      Condition c{SUP__NODAEMON, {socket, error.empty() ? "no reply" : error}};
      report(c.value, c.text());
      return c.value | kMessageShown;
    }
    auto reply = core::decode_reply(*record);
    if (auto* e = std::get_if<core::DecodeError>(&reply)) {
      // A daemon of another version: say so, as the daemon says it to an older client.
      Condition c =
          e->kind == core::DecodeError::Kind::WrongVersion
              ? Condition{SUP__BADVERSION, {e->value, std::uint64_t{core::kProtocolVersion}}}
              : Condition{SUP__BADREQ, {e->text}};
      return fail(c);
    }
    auto& rep = std::get<core::Reply>(reply);
    if (rep.type == core::RecordType::Line && msg::is_success(rep.condition))
      out << rep.text << '\n';
    else if (!rep.text.empty())
      report(rep.condition, rep.text);
    // The Final's message was shown now, or by a Line before it (doc/protocol.md): DCL
    // must not show it again (STS$M_INHIB_MSG in $STATUS on OpenVMS).
    if (rep.type == core::RecordType::Final)
      return msg::is_success(rep.condition) ? rep.condition : rep.condition | kMessageShown;
  }
}

std::uint32_t do_daemon(const commands::Request& r) {
  // An oversized request is the caller's mistake, whether or not a daemon is there.
  auto record = core::encode_request(with_password(r));
  if (!record)
    return fail({SUP__USAGE,
                 {fmt::format("too many names for one request (a request must fit "
                              "one record of {} bytes)",
                              core::kMaxRecord)}});
  Connection conn;
  if (Condition c = connect_daemon(r, conn); !c.ok()) return fail(c);
  const std::string& socket = conn.address;
  auto& ch = conn.channel;
  if (std::string error = ch->send(*record); !error.empty())
    return fail({SUP__NODAEMON, {socket, error}});
  if (r.output_file.empty()) return receive_reply(*ch, r, socket, std::cout);
  std::ofstream file(r.output_file, std::ios::trunc);
  if (!file) {
    return fail({SUP__SYSERR, {r.output_file, "cannot open for writing"}});
  }
  return receive_reply(*ch, r, socket, file);
}

}  // namespace

std::uint32_t execute(const commands::Request& request, bool interactive) {
  switch (commands::spec(request.action).runs) {
    case commands::Runs::InClient:
      return show_help(request, interactive);
    case commands::Runs::InDaemon:
      return do_daemon(request);
  }
  return fail({SUP__BUG, {"action without a place to run"}});
}

}  // namespace sup::client
