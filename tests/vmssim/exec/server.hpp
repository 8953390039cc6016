// The executive: one single-threaded epoll loop serving the simulator's SOCK_SEQPACKET
// socket (spec 2.1).  Parts plug their requests in through a Dispatch table (see
// ../DESIGN.md, "How to add a service"); handlers run on the loop's thread and must not
// block.  [G]
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "exec/process.hpp"
#include "exec/protocol.hpp"

namespace vmssim::exec {

class Server;

// One request as the handler sees it.  `body` is valid during the handler only.
struct Request {
  std::uint32_t type = 0;
  std::uint32_t seq = 0;
  int conn = -1;                 // the connection it came on
  std::uint32_t caller_pid = 0;  // the registered caller's VMS PID
  const std::uint8_t* body = nullptr;
  std::size_t len = 0;

  // The request's fixed struct (zero-filled where the body is shorter).
  template <class T>
  T as() const {
    return proto::body_as<T>(body, len);
  }
  // The variable bytes after the fixed struct T.
  template <class T>
  std::string extra() const {
    return len > sizeof(T)
               ? std::string(reinterpret_cast<const char*>(body) + sizeof(T), len - sizeof(T))
               : std::string();
  }
};

// A reply the handler holds back (a blocking service); answered with Server::reply_held.
struct HeldReply {
  int conn = -1;
  std::uint64_t conn_serial = 0;
  std::uint32_t type = 0;
  std::uint32_t seq = 0;
};

using Handler = std::function<void(Server&, const Request&)>;

// The run-time options the runner passes on (spec 2.4, 2.5).
struct Config {
  std::string root;         // the simulator root directory
  std::string socket_path;  // root/vmssim.sock
  std::string tool_dir;     // where vmssim and its helper programs are
  std::uint32_t variants[8] = {0, 44 /* SS$_ABORT */, 444 /* SS$_NOLOGNAM */, 50, 0, 0, 0, 0};
  unsigned long seed = 0;
  std::string user = "SYSTEM";  // --user: the identity of processes the harness started
  std::string trace_file;
  unsigned max_processes = 4095;  // the NOSLOT knob
  unsigned max_detach = 0;        // MAXDETACH per user, 0 = unlimited (EXPRCLM knob)
};

class Server {
 public:
  explicit Server(Config config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Creates the socket and registers every part's handlers.  False (with errno) when the
  // socket cannot be created.
  bool start();
  // Runs the loop until stop() is called or `until` returns true (checked after each event).
  void run(const std::function<bool()>& until);
  void stop() { stopping_ = true; }

  // --- for handlers ---
  void add_handler(std::uint32_t type, const char* name, Handler handler);
  void reply(const Request& req, std::uint32_t status, const void* body = nullptr,
             std::size_t len = 0, const void* extra = nullptr, std::size_t extra_len = 0);
  HeldReply hold(const Request& req);
  // False when the caller's connection is gone.
  bool reply_held(const HeldReply& held, std::uint32_t status, const void* body = nullptr,
                  std::size_t len = 0, const void* extra = nullptr, std::size_t extra_len = 0);
  // Sends an unsolicited message to a process's receiver thread.  False when it has none.
  bool send_async(std::uint32_t pid, std::uint32_t type, const void* body, std::size_t len,
                  const void* extra = nullptr, std::size_t extra_len = 0);
  // kAsyncComplete with segments (address, bytes) to copy before the completion.
  struct Copy {
    std::uint64_t addr;
    std::string bytes;
  };
  bool send_completion(std::uint32_t pid, const proto::Completion& c,
                       const std::vector<Copy>& copies = {});

  ProcessTable& processes() { return processes_; }
  const Config& config() const { return config_; }
  std::uint32_t variant(proto::Variant v) const { return config_.variants[v]; }

  // Calls `fn` when `fd` is readable (the runner's command pidfd).
  void watch_fd(int fd, std::function<void()> fn);
  // Runs `fn` after `delay` (on the loop's thread).
  void after(std::chrono::milliseconds delay, std::function<void()> fn);

  // One state object per type, created on first use (each part keeps its state here).
  template <class T>
  T& state() {
    auto& slot = states_[std::type_index(typeid(T))];
    if (!slot) slot = std::shared_ptr<void>(new T(), [](void* p) { delete static_cast<T*>(p); });
    return *static_cast<T*>(slot.get());
  }

  // Appends a line to --trace FILE (no-op without one).
  void trace(const char* fmt, ...) __attribute__((format(printf, 2, 3)));

  // --- hooks between parts ---
  // Writes a termination message (spec 4.2) to mailbox unit `unit` as an IO$M_NOW write from
  // `sender_pid`; losing it silently when the unit is gone, full or too small.  Installed by
  // the mailbox part; until then every message is lost (and traced).
  std::function<void(std::uint16_t unit, const std::string& msg, std::uint32_t sender_pid)>
      write_termination_message;
  // Maps a file spec to a Linux path for process `pid` (spec 2.3); the logical-name part
  // installs the LNM$FILE_DEV translation, the default knows SYS$SYSTEM/SYS$HELP only.
  std::function<std::string(const std::string& spec, std::uint32_t pid)> translate_filespec;
  // Called when a process is created (after its entry exists, before its image runs), and
  // when it is gone for good (channels, process logical names, pending I/O).
  std::vector<std::function<void(Process&)>> on_process_created;
  std::vector<std::function<void(Process&)>> on_process_gone;
  // Run once by the runner after start(): the boot logical names (spec 2.4 item 1) are
  // created here by the logical-name part.
  std::vector<std::function<void()>> on_boot;

  // Process lifecycle (process_services.cpp): watch a process's pidfd, and the work when
  // its Linux process ends.
  void watch_process(Process& p);
  void process_ended(Process& p, int wait_status, bool have_status);
  // Starts the Linux process of a new entry (process_spawn.cpp): maps the image and
  // SYS$INPUT/OUTPUT/ERROR, forks a session leader that waits for release() before its
  // exec.  A missing image still gives a process (it ends with RMS$_FNF, spec 2.3).
  std::uint32_t spawn(Process& p);
  void release(Process& p);
  // SIGKILLs every remaining process group, logging each as a leak; returns how many.
  unsigned kill_all_leftovers();

  // Registration (server.cpp): ties a connection to a process.
  void bind_request_conn(const Request& req, Process& p, pid_t peer);
  void bind_async_conn(const Request& req, Process& p);

 private:
  struct Conn;
  void accept_clients();
  void read_conn(Conn& c);
  void close_conn(int id);
  void dispatch(Conn& c, const std::uint8_t* msg, std::size_t n);
  void on_pidfd(int fd);
  bool send_raw(Conn& c, std::uint32_t type, std::uint32_t seq, std::uint32_t status,
                const void* body, std::size_t len, const void* extra, std::size_t extra_len);
  int next_timeout_ms();
  void run_timers();

  Config config_;
  ProcessTable processes_;
  int epoll_fd_ = -1;
  int listen_fd_ = -1;
  bool stopping_ = false;
  std::map<std::uint32_t, std::pair<std::string, Handler>> handlers_;
  std::map<int, std::unique_ptr<Conn>> conns_;  // by id
  std::map<int, int> conn_by_fd_;
  std::map<int, std::uint32_t> pidfds_;  // pidfd -> VMS pid
  // Async messages for a registered process whose async connection is not attached yet
  // (the client sends ATTACH on its second connection without waiting): sent on attach.
  struct PendingAsync {
    std::uint32_t type;
    std::string body, extra;
  };
  std::map<std::uint32_t, std::vector<PendingAsync>> pending_async_;
  std::map<int, std::function<void()>> external_;
  int next_conn_id_ = 1;
  std::uint64_t next_serial_ = 1;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timers_;
  std::unordered_map<std::type_index, std::shared_ptr<void>> states_;
  FILE* trace_ = nullptr;
};

// Every part's handler registration, in exec/server_services.cpp: one line per part.
void register_all_services(Server& server);
void register_core_services(Server& server);     // server.cpp: kRegister, kAttach, kPing
void register_process_services(Server& server);  // process_services.cpp (PROC)

// The default file-spec mapping (spec 2.3) without logical names: an absolute Linux path
// passes, NL: is /dev/null, SYS$SYSTEM: and SYS$HELP: are root/sys/system and
// root/sys/help, DEV:[A.B]NAME.TYP;n maps through the device table root/disk.  Empty when
// it cannot be mapped.
std::string default_filespec(const std::string& root, const std::string& spec);

// VMS time now: 100 ns units since 17-Nov-1858 (spec 4.6).
std::int64_t vms_time_now();

}  // namespace vmssim::exec
