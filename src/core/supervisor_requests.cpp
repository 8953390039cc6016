// The protocol's actions: decoding and authorizing a request, checking it against the
// command list (commands/command_list.hpp), then one handler per action, found in a table
// indexed by the typed action.
#include <cctype>
#include <functional>
#include <iterator>
#include <unordered_set>
#include <variant>

#include "core/status_format.hpp"
#include "core/supervisor.hpp"
#include "msg/ascii_text.hpp"
#include "msg/message.hpp"

namespace sup::core {
namespace {

msg::Condition refusal(const DecodeError& e) {
  switch (e.kind) {
    case DecodeError::Kind::Oversized:
      return {SUP__TOOBIG, {e.value, std::uint64_t{kMaxRecord}}};
    case DecodeError::Kind::WrongVersion:
      return {SUP__BADVERSION, {e.value, std::uint64_t{kProtocolVersion}}};
    case DecodeError::Kind::UnknownAction:
      return {SUP__IVACTION, {"code " + std::to_string(e.value)}};
    case DecodeError::Kind::Malformed:
      break;
  }
  return {SUP__BADREQ, {e.text}};
}

// The version to refuse a record in: an older client's own, when its replies are laid
// out as ours (it can then read why it was refused), else ours.
std::uint8_t reply_version(const DecodeError& e) {
  bool readable = e.kind == DecodeError::Kind::WrongVersion && e.value >= kOldestReplyVersion &&
                  e.value < kProtocolVersion;
  return readable ? static_cast<std::uint8_t>(e.value) : kProtocolVersion;
}

std::string joined(const Request& r) {
  std::string s(commands::lower_name(r.action));
  for (const auto& n : r.names) s += " " + n;
  return s;
}

// The number of names against what the command list says the action takes.
msg::Condition names_fit(const Request& r) {
  const std::string verb(commands::lower_name(r.action));
  switch (commands::spec(r.action).names) {
    case commands::Names::None:
      if (!r.names.empty()) return {SUP__USAGE, {verb + " takes no program names"}};
      break;
    case commands::Names::Optional:
      break;
    case commands::Names::AtMostOne:
      if (r.names.size() > 1) return {SUP__USAGE, {verb + " takes at most one name"}};
      break;
    case commands::Names::Required:
      if (r.names.empty()) return {SUP__USAGE, {verb + ": name a program, or all"}};
      break;
  }
  return {SUP__NORMAL, {}};
}

}  // namespace

constexpr Supervisor::HandlerEntry Supervisor::kHandlers[] = {
    {commands::Action::Help, nullptr},  // the client's own
    {commands::Action::Start, &Supervisor::cmd_start},
    {commands::Action::Stop, &Supervisor::cmd_stop},
    {commands::Action::Restart, &Supervisor::cmd_restart},
    {commands::Action::Status, &Supervisor::cmd_status},
    {commands::Action::Pid, &Supervisor::cmd_pid},
    {commands::Action::Version, &Supervisor::cmd_version},
    {commands::Action::Shutdown, &Supervisor::cmd_shutdown},
};

void Supervisor::on_request(const platform::Event& e) {
  // Exactly one handler for every action the list gives the daemon, none for the others,
  // at the index of its action: adding an action to the list without a handler (or a
  // handler without an action) does not compile.
  constexpr auto handlers_follow_the_list = [] {
    if (std::size(kHandlers) != commands::kActionCount) return false;
    for (std::size_t i = 0; i < commands::kActionCount; ++i) {
      const bool in_daemon = commands::kCommandList[i].runs == commands::Runs::InDaemon;
      if (static_cast<std::size_t>(kHandlers[i].action) != i) return false;
      if ((kHandlers[i].handler != nullptr) != in_daemon) return false;
    }
    return true;
  };
  static_assert(handlers_follow_the_list(), "kHandlers must follow commands::kCommandList");

  auto decoded = decode_request(e.payload);
  if (const auto* err = std::get_if<DecodeError>(&decoded)) {
    msg::Condition c = refusal(*err);
    log_.log(c.value, c.args);
    platform_.reply(e.request,
                    encode_reply({RecordType::Final, c.value, c.text()}, reply_version(*err)));
    platform_.finish(e.request);
    return;
  }
  const Request& r = std::get<Request>(decoded);
  const msg::FaoArgs who{std::uint64_t{e.caller.uid}, std::uint64_t{e.caller.pid}};
  std::uint32_t refused = 0;
  if (!e.caller.privileged)
    refused = SUP__NOPRIV;
  else if (!options_.password.empty() && !constant_time_equal(r.password, options_.password))
    refused = SUP__BADPASSWORD;
  if (refused) {
    log_.log(refused, who);
    final_reply(e.request, refused, msg::text(refused, who));
    return;
  }
  // Every request is logged with its caller (issue 3: the activity log shows them all).
  log_.log(SUP__REQUEST, {joined(r), who[0], who[1]});
  if (commands::spec(r.action).changes_state && (shutting_down_ || done_)) {
    final_reply(e.request, SUP__SHUTTING, msg::text(SUP__SHUTTING));
    return;
  }
  if (msg::Condition c = names_fit(r); !c.ok()) {
    final_reply(e.request, c.value, c.text());
    return;
  }
  // Never nullptr: decode_request accepts only the actions the daemon carries out, and
  // each of those has its handler (the static_assert above).
  (this->*(kHandlers[static_cast<std::size_t>(r.action)].handler))(e.request, r);
}

void Supervisor::final_reply(platform::RequestId id, std::uint32_t condition,
                             const std::string& text) {
  platform_.reply(id, encode_final(condition, text));
  platform_.finish(id);
}

// Names in request order, duplicates dropped; "all" stands for every program.
std::vector<Supervisor::Target> Supervisor::resolve(const std::vector<std::string>& names) {
  std::vector<Target> out;
  // Sets, not a scan of `out`: "all" with 2000 programs would be 2 million comparisons.
  std::unordered_set<const Program*> programs;
  std::unordered_set<std::string> unknown;
  auto add = [&](std::string name, Program* p) {
    const bool fresh = p ? programs.insert(p).second : unknown.insert(name).second;
    if (fresh) out.push_back(Target{std::move(name), p});
  };
  for (const auto& n : names) {
    if (text::iequals(n, "all")) {
      for (auto& p : programs_) add(p->config.name, p.get());
      continue;
    }
    Program* p = find(n);
    add(p ? p->config.name : n, p);
  }
  return out;
}

void Supervisor::begin_start(platform::RequestId id, Program& p, bool nowait, bool report_stop) {
  const std::string& n = p.config.name;
  const std::string shown = namespec(p.config);
  switch (p.state) {
    case State::Starting:
    case State::Running:
      waits_.add_line(id, SUP__ALRSTARTED, msg::text(SUP__ALRSTARTED, {shown}));
      return;
    case State::Unknown:
      waits_.add_line(id, SUP__SYSERR,
                      msg::text(SUP__SYSERR, {shown, "state unknown: " + p.reason}));
      return;
    case State::Stopping:  // its goal becomes Up: it starts again once it has stopped
    case State::Stopped:
    case State::Backoff:
    case State::Exited:
    case State::Fatal:
      dispatch(p, ProgramEvent::Start);
      break;
  }
  bool awaiting_stop = p.state == State::Stopping;
  if (nowait && awaiting_stop)
    started_now(id, p);
  else
    waits_.add_wait(id, WaitItem{n, false, awaiting_stop, report_stop, nowait}, p);
}

// The reply to a start that does not wait for a program still stopping: it will start.
void Supervisor::started_now(platform::RequestId id, const Program& p) {
  waits_.add_line(id, SUP__STARTED, msg::text(SUP__STARTED, {namespec(p.config)}));
}

// The common frame of start, stop and restart (their names are required, on_request has
// checked that): each unknown name gets its NOSUCHPROC line; `each` handles every known
// program; then the reply is sealed (sent now, or when the waits it opened are over).
void Supervisor::for_each_target(platform::RequestId id, const Request& r,
                                 const std::function<void(Program&, const std::string&)>& each) {
  waits_.begin(id, r.timeout);
  for (auto& t : resolve(r.names)) {
    if (t.program)
      each(*t.program, t.name);
    else
      waits_.add_line(id, SUP__NOSUCHPROC, msg::text(SUP__NOSUCHPROC, {t.name}));
  }
  waits_.seal(id);
}

void Supervisor::cmd_start(platform::RequestId id, const Request& r) {
  for_each_target(id, r,
                  [&](Program& p, const std::string&) { begin_start(id, p, !r.wait, false); });
}

void Supervisor::cmd_stop(platform::RequestId id, const Request& r) {
  for_each_target(id, r, [&](Program& p, const std::string& name) {
    if (p.state == State::Stopped || p.state == State::Exited || p.state == State::Fatal) {
      waits_.add_line(id, SUP__NOTRUNNING, msg::text(SUP__NOTRUNNING, {namespec(p.config)}));
      return;
    }
    dispatch(p, ProgramEvent::Stop);  // while STOPPING: the goal is Down, no restart follows
    if (r.wait || p.state == State::Unknown)
      waits_.add_wait(id, WaitItem{name, true, false, false}, p);
    else
      waits_.add_line(id, SUP__STOPPED, msg::text(SUP__STOPPED, {namespec(p.config)}));
  });
}

void Supervisor::cmd_restart(platform::RequestId id, const Request& r) {
  for_each_target(id, r, [&](Program& p, const std::string& name) {
    // Not started (STOPPED, EXITED, FATAL; UNKNOWN refuses): a restart is a plain start.
    if (is_stopped_state(p.state)) return begin_start(id, p, !r.wait, false);
    dispatch(p, ProgramEvent::Restart);
    // Now stopping (it starts again by itself once stopped), or BACKOFF started again at
    // once; either way the reply says "stopped", then how the start went.
    if (!r.wait && p.state == State::Stopping)
      started_now(id, p);
    else if (!r.wait && p.state != State::Unknown)
      waits_.add_wait(id, WaitItem{name, false, false, false, true}, p);
    else
      waits_.add_wait(id, WaitItem{name, false, true, true}, p);
  });
}

void Supervisor::cmd_status(platform::RequestId id, const Request& r) {
  std::vector<Target> targets =
      resolve(r.names.empty() ? std::vector<std::string>{"all"} : r.names);
  std::vector<std::string> shown;
  for (const auto& t : targets)
    if (t.program) shown.push_back(namespec(t.program->config));
  std::size_t width = status_name_width(shown);
  std::uint64_t not_running = 0;
  waits_.begin(id, 0);
  for (const auto& t : targets) {
    if (!t.program) {
      waits_.add_line(id, SUP__NOSUCHPROC, msg::text(SUP__NOSUCHPROC, {t.name}));
      continue;
    }
    const Program& p = *t.program;
    if (is_stopped_state(p.state)) ++not_running;
    StatusFacts f{p.state,
                  platform_.format_pid(p.pid),
                  platform_.wall_now() - p.started_wall,
                  p.ever_started,
                  p.stopped_wall,
                  p.reason,
                  namespec(p.config)};
    waits_.add_line(id, SUP__NORMAL,
                    format_status_line(namespec(p.config), width, p.state, status_description(f)));
  }
  if (not_running > 0)
    waits_.note(id, SUP__PROGSTOPPED, msg::text(SUP__PROGSTOPPED, {not_running}));
  waits_.seal(id);
}

void Supervisor::cmd_pid(platform::RequestId id, const Request& r) {
  waits_.begin(id, 0);
  if (r.names.empty()) waits_.add_line(id, SUP__NORMAL, platform_.format_pid(platform_.self_pid()));
  for (const auto& t : resolve(r.names)) {
    if (t.program)
      waits_.add_line(id, SUP__NORMAL, platform_.format_pid(t.program->pid));
    else
      waits_.add_line(id, SUP__NOSUCHPROC, msg::text(SUP__NOSUCHPROC, {t.name}));
  }
  waits_.seal(id);
}

void Supervisor::cmd_version(platform::RequestId id, const Request&) {
  final_reply(id, SUP__VERSION, msg::text(SUP__VERSION, {options_.version}));
}

// Ends the daemon and leaves the programs running, recorded in the table for the next
// supervisord to re-attach.
void Supervisor::cmd_shutdown(platform::RequestId id, const Request&) {
  final_reply(id, SUP__SHUTDOWN, msg::text(SUP__SHUTDOWN));
  log_.log(SUP__SHUTDOWN);
  leave(RunOutcome::LeftRunning);
}

}  // namespace sup::core
