// bench_driver: measures supervisord and its physical floor (spawn_floor) for several
// numbers of programs, prints a table with each figure and its ratio to the floor,
// writes the raw samples as JSON, and leaves no process behind.  Run by
// bench/run_bench.sh; README.md, "Performance", says what each figure means.
//
//   bench_driver --bin DIR --out FILE [--n "10 100 500 2000"] [--idle SECS]
//                [--launches K] [--restarts K] [--status K] [--table-root DIR] [--keep]
//                [--poll]   (time by polling /proc, not by the kernel's process events)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "bench_events.hpp"
#include "bench_phases.hpp"
#include "bench_proc.hpp"
#include "bench_report.hpp"

namespace sup::bench {
namespace {

struct Options {
  std::string bin, out;
  std::vector<int> ns{10, 100, 500, 2000};
  double idle_secs = 30;
  int launches = 3, restarts = 100, status = 20;
  // Where the SUPERVISORD_TABLE directories go: a tmpfs, as /run would be (the table
  // describes live processes, so it need not outlive a reboot; see README.md, "Performance").
  std::string table_root = "/dev/shm";
  bool keep = false;
  bool poll = false;  // the fallback timing, for comparison (see bench_events.hpp)
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(
      stderr,
      "bench_driver: %s\nusage: bench_driver --bin DIR --out FILE [--n \"10 100 500 "
      "2000\"] [--idle SECS] [--launches K] [--restarts K] [--status K] [--table-root DIR] "
      "[--keep] [--poll]\n",
      why.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--keep" || a == "--poll") {
      (a == "--keep" ? o.keep : o.poll) = true;
      continue;
    }
    if (i + 1 >= argc) usage("missing value after " + a);
    const std::string v = argv[++i];
    if (a == "--bin") {
      o.bin = v;
    } else if (a == "--out") {
      o.out = v;
    } else if (a == "--n") {
      o.ns.clear();
      std::istringstream in(v);
      for (int n; in >> n;) o.ns.push_back(n);
    } else if (a == "--idle") {
      o.idle_secs = std::atof(v.c_str());
    } else if (a == "--launches") {
      o.launches = std::atoi(v.c_str());
    } else if (a == "--restarts") {
      o.restarts = std::atoi(v.c_str());
    } else if (a == "--status") {
      o.status = std::atoi(v.c_str());
    } else if (a == "--table-root") {
      o.table_root = v;
    } else {
      usage("unknown option " + a);
    }
  }
  if (o.bin.empty() || o.out.empty()) usage("--bin and --out are required");
  for (int n : o.ns)
    if (n < 1 || n > 99999) usage("N must be 1..99999");
  if (o.launches < 1 || o.restarts < 1 || o.status < 1) usage("counts must be at least 1");
  return o;
}

std::string program_name(int i) {
  return fmt::format("p{:05}", i);
}

// N programs "/bin/sleep BASE.1xxxxx", startsecs=0, with a private table and log.
std::string write_config(const std::string& dir, const std::string& table, int n,
                         const std::string& base, const std::string& user) {
  const std::string path = dir + "/supervisord.conf";
  std::ofstream f(path);
  f << "[supervisord]\nlogfile = " << dir << "/supervisord.log\ntable = " << table << "\n";
  for (int i = 1; i <= n; ++i) {
    f << "\n[program:" << program_name(i) << "]\nimage = /bin/sleep\narguments = " << base << "."
      << 100000 + i << "\nuser = " << user << "\nstartsecs = 0\n";
  }
  if (!f) throw std::runtime_error("cannot write " + path);
  return path;
}

void progress(const Subject& s, const std::string& what) {
  std::fprintf(stderr, "bench: N=%d %s: %s\n", s.n, s.label.c_str(), what.c_str());
}

// Every figure of one subject: launches (the last one stays up for the rest), status,
// restarts, memory, idle, shutdown.
Figures measure(Subject& s, const Options& o, const std::string& dir, Tracker& tracker,
                ProcEvents* events) {
  Figures f;
  for (int rep = 0; rep < o.launches; ++rep) {
    progress(s, fmt::format("launch {}/{}", rep + 1, o.launches));
    const auto t0 = Clock::now();
    f.spawned_ms.push_back(launch(s, tracker, events));
    if (s.reports_status) f.running_ms.push_back(wait_all_running(s, t0));
    if (rep + 1 < o.launches) f.shutdown_ms.push_back(shutdown(s, tracker, events, f.survivors));
  }
  progress(s, "status");
  status_samples(s, o.status, f.status_all_ms, f.status_one_ms);
  progress(s, "restarts");
  RestartSamples r;
  restart_samples(s, o.restarts, events, r);
  f.restart_exit_ms = r.exited;
  f.restart_ms = r.forked;
  f.restart_exec_ms = r.execd;
  f.restart_failures = r.failures;
  const Memory m = read_memory(s.pid);
  f.rss_kib = m.rss_kib;
  f.pss_kib = m.pss_kib;
  progress(s, fmt::format("idle {:.0f} s", o.idle_secs));
  f.idle = measure_idle(s, o.idle_secs, dir + "/strace_" + s.label + ".txt", tracker);
  progress(s, "shutdown");
  f.shutdown_ms.push_back(shutdown(s, tracker, events, f.survivors));
  return f;
}

// The configuration must load before timing starts: its diagnostics go to stderr.
void check_config(const Options& o, const std::string& conf, const std::string& dir) {
  const std::string err = dir + "/check.err";
  const pid_t pid = start_process({o.bin + "/supervisord", "--check", "-c", conf}, -1, err);
  if (wait_exit(pid, 60000).value_or(-1) == 0) return;
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  throw std::runtime_error("supervisord --check -c " + conf + " failed:\n" + text.str());
}

RunFigures run_n(int n, const Options& o, const std::string& work, const std::string& tables,
                 Tracker& tracker, ProcEvents* events, const std::string& user) {
  const std::string dir = work + "/n" + std::to_string(n);
  const std::string table = tables + "/n" + std::to_string(n);
  std::filesystem::create_directories(dir);
  const std::string conf = write_config(dir, table + "/table", n, tracker.base(), user);
  check_config(o, conf, dir);
  RunFigures r;
  r.n = n;
  Subject floor{
      "floor",
      {o.bin + "/spawn_floor", "serve", std::to_string(n), tracker.base(), user, table + "/floor"},
      {o.bin + "/spawn_floor", "noop"},
      {o.bin + "/spawn_floor", "noop"},
      false,
      n};
  r.floor = measure(floor, o, dir, tracker, events);
  // The posix_spawn floor is there for its spawn, restart, memory and shutdown: a short
  // idle window and one no-op status sample keep its share of the run small.
  Options brief = o;
  brief.idle_secs = std::min(o.idle_secs, 1.0);
  brief.status = 1;
  Subject spawn_floor{"posix_spawn",
                      {o.bin + "/spawn_floor", "posix_spawn", std::to_string(n), tracker.base()},
                      {o.bin + "/spawn_floor", "noop"},
                      {o.bin + "/spawn_floor", "noop"},
                      false,
                      n};
  r.posix_spawn = measure(spawn_floor, brief, dir, tracker, events);
  const std::string client = o.bin + "/supervisor";
  Subject daemon{"supervisord",
                 {o.bin + "/supervisord", "-n", "-c", conf},
                 {client, "-c", conf, "status"},
                 {client, "-c", conf, "status", program_name(1)},
                 true,
                 n};
  r.daemon = measure(daemon, o, dir, tracker, events);
  return r;
}

int run(const Options& o) {
  const std::uint64_t nofile = prepare_driver();
  ::unsetenv("SUPERVISORD_CMD");  // the client must find the socket through the table
  int biggest = 0;
  for (int n : o.ns) biggest = std::max(biggest, n);
  if (nofile < static_cast<std::uint64_t>(biggest) + 64)
    std::fprintf(stderr, "bench: warning: RLIMIT_NOFILE %llu is low for N=%d (one pidfd each)\n",
                 static_cast<unsigned long long>(nofile), biggest);
  Machine machine = describe_machine();
  machine.launches = o.launches;
  machine.restart_samples = o.restarts;
  machine.status_samples = o.status;
  ProcEvents events;
  std::string why;
  if (o.poll)
    why = "--poll";
  else if (events.open(why))
    machine.clock = "kernel process events (proc connector)";
  if (!events.is_open()) {
    machine.clock = "polling /proc";
    std::fprintf(stderr, "bench: %s: polling /proc\n", why.c_str());
  }
  char work_template[] = "/tmp/sup_bench_XXXXXX";
  if (!::mkdtemp(work_template)) throw std::runtime_error("mkdtemp failed");
  const std::string work = work_template;
  std::string tables = work + "/tables";
  if (!o.table_root.empty() && ::access(o.table_root.c_str(), W_OK) == 0)
    tables = o.table_root + "/" + std::filesystem::path(work).filename().string();
  machine.table_dir = tables;
  const std::string base = std::to_string(1000000 + ::getpid());  // marks our sleeps
  std::vector<RunFigures> runs;
  int rc = 0;
  std::size_t leftovers = 0;
  {
    Tracker tracker(base);
    try {
      for (int n : o.ns)
        runs.push_back(run_n(n, o, work, tables, tracker, events.is_open() ? &events : nullptr,
                             current_user()));
    } catch (const Interrupted&) {
      std::fprintf(stderr, "bench: interrupted, cleaning up\n");
      rc = 130;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench: %s\n", e.what());
      rc = 1;
    }
    leftovers = tracker.cleanup();
  }
  const auto survivors = marked_sleeps(base);
  std::fprintf(stderr, "bench: %zu process(es) killed at cleanup, %zu marked sleep(s) left\n",
               leftovers, survivors.size());
  if (!survivors.empty()) rc = rc ? rc : 1;
  if (o.keep || rc != 0) {
    std::fprintf(stderr, "bench: work directories kept: %s %s\n", work.c_str(), tables.c_str());
  } else {
    std::filesystem::remove_all(work);
    std::filesystem::remove_all(tables);
  }
  // A failure at one N (a launch that ran out of time at 10,000) still reports the N
  // measured before it: a run of the smaller N takes a quarter of an hour to repeat.
  if (rc == 130 || runs.empty()) return rc;
  if (rc != 0)
    std::fprintf(stderr, "bench: reporting the %zu N measured before the failure\n", runs.size());
  finish_machine(machine);
  print_report(stdout, machine, runs);
  std::ofstream json(o.out);
  json << report_json(machine, runs);
  if (!json) {
    std::fprintf(stderr, "bench: cannot write %s\n", o.out.c_str());
    return 1;
  }
  std::fprintf(stderr, "bench: raw samples written to %s\n", o.out.c_str());
  return rc;
}

}  // namespace
}  // namespace sup::bench

int main(int argc, char** argv) {
  try {
    return sup::bench::run(sup::bench::parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench: %s\n", e.what());
    return 1;
  }
}
