#include "bench_report.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <functional>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

namespace sup::bench {
namespace {

std::string first_line_of(const std::string& path, const std::string& prefix) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) != 0) continue;
    const auto colon = line.find(':');
    return colon == std::string::npos ? line
                                      : line.substr(line.find_first_not_of(" \t", colon + 1));
  }
  return "";
}

double ratio(double value, double floor) {
  return floor > 0 ? value / floor : NAN;
}

std::string cell(double v, int decimals = 2) {
  if (std::isnan(v)) return "-";
  return fmt::format("{:.{}f}", v, decimals);
}

// One row of a per-N table: daemon, floor and posix_spawn floor values, and the daemon's
// ratio to each floor.
void row(std::FILE* out, const std::string& what, double daemon, double floor, int decimals = 2,
         bool with_ratio = true, double spawn_floor = NAN) {
  fmt::print(out, "  {:<44} {:>12} {:>12} {:>12} {:>8} {:>8}\n", what, cell(daemon, decimals),
             cell(floor, decimals), cell(spawn_floor, decimals),
             with_ratio ? cell(ratio(daemon, floor)) : "-",
             with_ratio ? cell(ratio(daemon, spawn_floor)) : "-");
}

const RunFigures* find_run(const std::vector<RunFigures>& runs, int n) {
  for (const auto& r : runs)
    if (r.n == n) return &r;
  return nullptr;
}

void print_one(std::FILE* out, const Machine& m, const RunFigures& r) {
  const Figures& d = r.daemon;
  const Figures& f = r.floor;
  const Figures& p = r.posix_spawn;
  fmt::print(out, "\nN = {} programs\n", r.n);
  fmt::print(out, "  {:<44} {:>12} {:>12} {:>12} {:>8} {:>8}\n", "figure", "supervisord", "floor",
             "posix_spawn", "/floor", "/p_spawn");
  row(out, fmt::format("launch -> all spawned, ms (median of {})", d.spawned_ms.size()),
      median(d.spawned_ms), median(f.spawned_ms), 2, true, median(p.spawned_ms));
  row(out, "launch -> all RUNNING per `status`, ms", median(d.running_ms), median(f.spawned_ms));
  row(out, fmt::format("status, all programs, ms (median of {})", d.status_all_ms.size()),
      median(d.status_all_ms), median(f.status_all_ms));
  row(out, "status, one program, ms", median(d.status_one_ms), median(f.status_one_ms));
  row(out, "restart: kill -9 -> victim exited, median ms", median(d.restart_exit_ms),
      median(f.restart_exit_ms), 3, true, median(p.restart_exit_ms));
  row(out, fmt::format("restart: kill -9 -> new pid, median ms ({})", d.restart_ms.size()),
      median(d.restart_ms), median(f.restart_ms), 3, true, median(p.restart_ms));
  row(out, "restart: kill -9 -> new pid, p99 ms", percentile(d.restart_ms, 99),
      percentile(f.restart_ms, 99), 3, true, percentile(p.restart_ms, 99));
  row(out, "restart: kill -9 -> exec'd sleep, median ms", median(d.restart_exec_ms),
      median(f.restart_exec_ms), 3, true, median(p.restart_exec_ms));
  row(out, "restart: kill -9 -> exec'd sleep, p99 ms", percentile(d.restart_exec_ms, 99),
      percentile(f.restart_exec_ms, 99), 3, true, percentile(p.restart_exec_ms, 99));
  const std::string idle = fmt::format("idle {:.0f} s", d.idle.secs);
  row(out, idle + ": system calls", d.idle.measured ? double(d.idle.syscalls) : NAN,
      f.idle.measured ? double(f.idle.syscalls) : NAN, 0);
  row(out, idle + ": context switches", double(d.idle.voluntary + d.idle.involuntary),
      double(f.idle.voluntary + f.idle.involuntary), 0);
  row(out, idle + ": CPU time, ms", d.idle.cpu_ms, f.idle.cpu_ms, 3);
  row(out, "memory: RSS, KiB", double(d.rss_kib), double(f.rss_kib), 0, true, double(p.rss_kib));
  row(out, "memory: PSS, KiB", double(d.pss_kib), double(f.pss_kib), 0, true, double(p.pss_kib));
  row(out, fmt::format("shutdown -> all gone, ms (median of {})", d.shutdown_ms.size()),
      median(d.shutdown_ms), median(f.shutdown_ms), 2, true, median(p.shutdown_ms));
  if (d.restart_failures || f.restart_failures || p.restart_failures)
    fmt::print(out, "  restart samples that timed out: supervisord {}, floor {}, posix_spawn {}\n",
               d.restart_failures, f.restart_failures, p.restart_failures);
  if (!d.idle.calls.empty()) {
    fmt::print(out, "  system calls while idle:");
    for (const auto& [name, count] : d.idle.calls) fmt::print(out, " {}={}", name, count);
    fmt::print(out, "\n");
  }
  (void)m;
}

// Marginal cost per program between two N: (v(b) - v(a)) / (b - a).
double marginal(const RunFigures& a, const RunFigures& b,
                const std::function<double(const RunFigures&)>& value) {
  return (value(b) - value(a)) / double(b.n - a.n);
}

void print_marginal(std::FILE* out, const std::vector<RunFigures>& runs) {
  if (runs.size() < 2) return;
  using Get = std::function<double(const RunFigures&)>;
  const std::vector<std::pair<std::string, Get>> rows = {
      {"spawn, supervisord, us",
       [](const RunFigures& r) { return 1000 * median(r.daemon.spawned_ms); }},
      {"spawn, floor, us", [](const RunFigures& r) { return 1000 * median(r.floor.spawned_ms); }},
      {"spawn, posix_spawn, us",
       [](const RunFigures& r) { return 1000 * median(r.posix_spawn.spawned_ms); }},
      {"status all, us", [](const RunFigures& r) { return 1000 * median(r.daemon.status_all_ms); }},
      {"shutdown, supervisord, us",
       [](const RunFigures& r) { return 1000 * median(r.daemon.shutdown_ms); }},
      {"shutdown, floor, us",
       [](const RunFigures& r) { return 1000 * median(r.floor.shutdown_ms); }},
      {"PSS, supervisord, KiB", [](const RunFigures& r) { return double(r.daemon.pss_kib); }},
  };
  fmt::print(out, "\nPer-program (marginal) cost between successive N, and restart latency\n");
  fmt::print(out, "  {:<28}", "figure");
  for (std::size_t i = 1; i < runs.size(); ++i)
    fmt::print(out, " {:>12}", fmt::format("{}->{}", runs[i - 1].n, runs[i].n));
  fmt::print(out, "\n");
  for (const auto& [name, get] : rows) {
    fmt::print(out, "  {:<28}", name);
    for (std::size_t i = 1; i < runs.size(); ++i)
      fmt::print(out, " {:>12}", cell(marginal(runs[i - 1], runs[i], get), 3));
    fmt::print(out, "\n");
  }
  fmt::print(out, "  {:<28}", "restart median, ms (at N)");
  for (std::size_t i = 1; i < runs.size(); ++i)
    fmt::print(out, " {:>12}", cell(median(runs[i].daemon.restart_ms), 3));
  fmt::print(out, "\n");
}

void target(std::FILE* out, const std::string& what, const std::string& got, bool met) {
  fmt::print(out, "  {:<40} {:>16}   {}\n", what, got, met ? "met" : "MISSED");
}

// Flat: the marginal cost per program from `a` to `b` within 1.25x of that from
// `small` to `mid`, and the restart median at `b` within 1.25x of that at `mid`.
void print_flat(std::FILE* out, const RunFigures& small, const RunFigures& mid,
                const RunFigures& big) {
  const std::string at = "flat " + std::to_string(mid.n) + "->" + std::to_string(big.n) + ": ";
  auto flat = [&](const std::string& what, const std::function<double(const RunFigures&)>& get) {
    const double before = marginal(small, mid, get), after = marginal(mid, big, get);
    const double k = ratio(after, before);
    target(out, at + what, cell(before, 1) + " -> " + cell(after, 1), !(k > 1.25));
  };
  flat("spawn us/program", [](const RunFigures& x) { return 1000 * median(x.daemon.spawned_ms); });
  flat("status us/program",
       [](const RunFigures& x) { return 1000 * median(x.daemon.status_all_ms); });
  flat("shutdown us/program",
       [](const RunFigures& x) { return 1000 * median(x.daemon.shutdown_ms); });
  flat("PSS KiB/program", [](const RunFigures& x) { return double(x.daemon.pss_kib); });
  const double k = ratio(median(big.daemon.restart_ms), median(mid.daemon.restart_ms));
  target(out, at + "restart median vs N=" + std::to_string(mid.n), cell(k) + "x", !(k > 1.25));
}

void print_targets(std::FILE* out, const std::vector<RunFigures>& runs) {
  const RunFigures* r = find_run(runs, 500);
  if (!r) {
    fmt::print(out, "\nTargets are set at N=500: not measured in this run.\n");
    return;
  }
  const Figures& d = r->daemon;
  fmt::print(out, "\nTargets at N=500\n");
  const double spawn_ratio = ratio(median(d.spawned_ms), median(r->floor.spawned_ms));
  target(out, "all spawned within 1.3x the floor", cell(spawn_ratio) + "x", spawn_ratio <= 1.3);
  const double ps_ratio = ratio(median(d.spawned_ms), median(r->posix_spawn.spawned_ms));
  target(out, "all spawned within 1.3x posix_spawn", cell(ps_ratio) + "x", ps_ratio <= 1.3);
  const double restart = median(d.restart_ms), restart_exec = median(d.restart_exec_ms);
  target(out, "restart median <= 1.5 ms (new pid)", cell(restart, 3) + " ms", restart <= 1.5);
  target(out, "restart median <= 1.5 ms (exec'd)", cell(restart_exec, 3) + " ms",
         restart_exec <= 1.5);
  const double status = median(d.status_all_ms);
  target(out, "status of all <= 5 ms", cell(status) + " ms", status <= 5);
  // The client reads only [supervisord] of the file: one program's status should cost
  // little more than starting an image at all.
  const double one_ratio = ratio(median(d.status_one_ms), median(r->floor.status_one_ms));
  target(out, "status of one within 2x a no-op exec", cell(one_ratio) + "x", one_ratio <= 2);
  target(out, "0 system calls while idle", std::to_string(d.idle.syscalls),
         d.idle.measured && d.idle.syscalls == 0);
  target(out, "PSS <= 4 MiB", cell(d.pss_kib / 1024.0) + " MiB", d.pss_kib <= 4096);
  const double shutdown = median(d.shutdown_ms);
  target(out, "shutdown <= 0.1 s", cell(shutdown) + " ms", shutdown <= 100);
  const RunFigures* small = find_run(runs, 100);
  if (!small) return;
  if (const RunFigures* big = find_run(runs, 2000)) print_flat(out, *small, *r, *big);
  // At 10,000 the marginal cost from 2,000 on is held against that from 100 to 500.
  const RunFigures* b2 = find_run(runs, 2000);
  const RunFigures* b10 = find_run(runs, 10000);
  if (!b2 || !b10) return;
  auto flat = [&](const std::string& what, const std::function<double(const RunFigures&)>& get) {
    const double before = marginal(*small, *r, get), after = marginal(*b2, *b10, get);
    const double k = ratio(after, before);
    target(out, "flat 2000->10000: " + what, cell(before, 1) + " -> " + cell(after, 1),
           !(k > 1.25));
  };
  flat("spawn us/program", [](const RunFigures& x) { return 1000 * median(x.daemon.spawned_ms); });
  flat("status us/program",
       [](const RunFigures& x) { return 1000 * median(x.daemon.status_all_ms); });
  flat("shutdown us/program",
       [](const RunFigures& x) { return 1000 * median(x.daemon.shutdown_ms); });
  flat("PSS KiB/program", [](const RunFigures& x) { return double(x.daemon.pss_kib); });
  const double k = ratio(median(b10->daemon.restart_ms), median(r->daemon.restart_ms));
  target(out, "flat at 10000: restart median vs N=500", cell(k) + "x", !(k > 1.25));
}

// JSON has no NaN: a figure that was not measured is null.
std::string json_number(double v) {
  return std::isnan(v) ? "null" : fmt::format("{:.4f}", v);
}

std::string json_array(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + json_number(v[i]);
  return s + "]";
}

std::string json_string(const std::string& text) {
  std::string s = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') s += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      s += fmt::format("\\u{:04x}", static_cast<int>(c));
      continue;
    }
    s += c;
  }
  return s + "\"";
}

std::string json_samples(const std::string& name, const std::vector<double>& v) {
  return fmt::format("\"{}\": {{\"median\": {}, \"p99\": {}, \"samples\": {}}}", name,
                     json_number(median(v)), json_number(percentile(v, 99)), json_array(v));
}

std::string json_figures(const Figures& f) {
  std::string calls = "{";
  for (std::size_t i = 0; i < f.idle.calls.size(); ++i)
    calls += (i ? ", " : "") + json_string(f.idle.calls[i].first) + ": " +
             std::to_string(f.idle.calls[i].second);
  calls += "}";
  return fmt::format(
      "{{{}, {}, {}, {}, {}, {}, {}, \"restart_failures\": {}, {}, "
      "\"idle\": {{\"measured\": {}, \"seconds\": {:.1f}, \"syscalls\": {}, \"calls\": {}, "
      "\"voluntary_ctxt_switches\": {}, \"involuntary_ctxt_switches\": {}, \"cpu_ms\": {:.4f}}}, "
      "\"rss_kib\": {}, \"pss_kib\": {}, \"survivors\": {}}}",
      json_samples("spawned_ms", f.spawned_ms), json_samples("running_ms", f.running_ms),
      json_samples("status_all_ms", f.status_all_ms),
      json_samples("status_one_ms", f.status_one_ms),
      json_samples("restart_exit_ms", f.restart_exit_ms), json_samples("restart_ms", f.restart_ms),
      json_samples("restart_exec_ms", f.restart_exec_ms), f.restart_failures,
      json_samples("shutdown_ms", f.shutdown_ms), f.idle.measured, f.idle.secs, f.idle.syscalls,
      calls, f.idle.voluntary, f.idle.involuntary, f.idle.cpu_ms, f.rss_kib, f.pss_kib,
      f.survivors);
}

// Busy and total jiffies of all CPUs (/proc/stat "cpu" line; idle and iowait are idle).
std::pair<std::uint64_t, std::uint64_t> cpu_jiffies() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  std::uint64_t v[8] = {};
  in >> cpu;
  for (auto& x : v) in >> x;
  std::uint64_t total = 0;
  for (auto x : v) total += x;
  return {total - v[3] - v[4], total};
}

std::string read_load() {
  std::ifstream load("/proc/loadavg");
  std::string line;
  std::getline(load, line);
  return line;
}

}  // namespace

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

Machine describe_machine() {
  Machine m;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.compare(0, 9, "processor") == 0) ++m.cpus;
  m.cpu = first_line_of("/proc/cpuinfo", "model name");
  utsname u{};
  if (::uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
  m.load_before = read_load();
  std::tie(m.busy_start, m.total_start) = cpu_jiffies();
  const std::time_t now = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  m.date = buf;
  return m;
}

void finish_machine(Machine& m) {
  m.load_after = read_load();
  const auto [busy, total] = cpu_jiffies();
  if (total > m.total_start)
    m.busy_percent = 100.0 * double(busy - m.busy_start) / double(total - m.total_start);
}

void print_report(std::FILE* out, const Machine& m, const std::vector<RunFigures>& runs) {
  fmt::print(out, "\nsupervisor-vms benchmark, {}\n", m.date);
  fmt::print(out, "machine: {} CPUs, {}, {}\n", m.cpus, m.cpu, m.kernel);
  fmt::print(out,
             "load average before: {}; after: {}; CPUs busy during the run: {:.0f}% (the "
             "benchmark included)\n",
             m.load_before, m.load_after, m.busy_percent);
  fmt::print(out, "tables under {}; times from {}\n", m.table_dir, m.clock);
  fmt::print(out,
             "floor = bench/spawn_floor: the daemon's spawn method (sup::posix Platform::spawn/"
             "wait) with no supervisor around it;\n"
             "        its status figures are the exec of a no-op C++ image;\n"
             "posix_spawn = spawn_floor posix_spawn: the same supervision with posix_spawn(3) and "
             "nothing else\n        (no limits, priority, user, report socket or identity).\n");
  for (const auto& r : runs) print_one(out, m, r);
  print_marginal(out, runs);
  print_targets(out, runs);
  std::size_t survivors = 0;
  for (const auto& r : runs)
    survivors += r.daemon.survivors + r.floor.survivors + r.posix_spawn.survivors;
  fmt::print(out, "\nprocesses left behind after the shutdowns: {}\n", survivors);
}

std::string report_json(const Machine& m, const std::vector<RunFigures>& runs) {
  std::ostringstream s;
  s << "{\n  \"machine\": {\"cpus\": " << m.cpus << ", \"cpu\": " << json_string(m.cpu)
    << ", \"kernel\": " << json_string(m.kernel)
    << ", \"load_before\": " << json_string(m.load_before) << ", \"date\": " << json_string(m.date)
    << ", \"table_dir\": " << json_string(m.table_dir) << ", \"clock\": " << json_string(m.clock)
    << "},\n"
    << "  \"settings\": {\"launches\": " << m.launches
    << ", \"restart_samples\": " << m.restart_samples
    << ", \"status_samples\": " << m.status_samples << "},\n  \"runs\": [\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    s << "    {\"n\": " << runs[i].n << ",\n     \"supervisord\": " << json_figures(runs[i].daemon)
      << ",\n     \"floor\": " << json_figures(runs[i].floor)
      << ",\n     \"posix_spawn_floor\": " << json_figures(runs[i].posix_spawn) << "}"
      << (i + 1 < runs.size() ? "," : "") << "\n";
  }
  s << "  ]\n}\n";
  return s.str();
}

}  // namespace sup::bench
