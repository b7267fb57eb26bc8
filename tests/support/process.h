// A child process for integration tests that drive the real `paperboy` binary: spawn with
// arguments and environment, read its stdout line by line, signal it, wait for it. Test-only.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace paperboy::testing {

// The binary under test: $PAPERBOY_BINARY, else the one this test was built with.
inline std::string paperboy_binary() {
  const char* b = std::getenv("PAPERBOY_BINARY");
  return b != nullptr && *b != '\0' ? b : PAPERBOY_TEST_BINARY;
}

// The source tree (for fixtures): $PAPERBOY_SOURCE_DIR, else the one this test was built from.
inline std::string paperboy_source_dir() {
  const char* d = std::getenv("PAPERBOY_SOURCE_DIR");
  return d != nullptr && *d != '\0' ? d : PAPERBOY_TEST_SOURCE_DIR;
}

// The port in `paperboy serve`'s first line ("paperboy serving on http://HOST:PORT/"); 0 when the
// line is missing or is not that line. Start serve with `--port 0` and read the port back with this.
inline int serving_port(const std::optional<std::string>& line) {
  if (!line || line->find("serving on http://") == std::string::npos) return 0;
  size_t colon = line->rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(line->c_str() + colon + 1);
}

// Starts `argv[0]` with `argv`, stdout and stderr to the file `output` (created or truncated),
// with posix_spawn: nothing runs between fork and exec, so it is safe in a threaded test process
// (a fopen there can deadlock on a lock another thread held). Returns the pid, -1 on failure;
// reap it with wait_exit().
inline pid_t spawn_with_output(const std::vector<std::string>& argv, const std::string& output) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Waits for `pid` to exit; returns its exit code, or 128 + signal number.
inline int wait_exit(pid_t pid) {
  int st = 0;
  if (waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

class Process {
 public:
  // Starts `argv[0]` with `argv`; `extra_env` entries ("KEY=VALUE") are added to the environment.
  // With `merge_stderr`, stderr goes to the same pipe as stdout (to read error messages).
  Process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
          bool merge_stderr = false) {
    int out[2];
    if (pipe(out) != 0) std::abort();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    if (merge_stderr) posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_store;
    for (char** e = environ; *e != nullptr; ++e) env_store.emplace_back(*e);
    for (const auto& e : extra_env) env_store.push_back(e);
    std::vector<char*> env;
    for (auto& e : env_store) env.push_back(e.data());
    env.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), env.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
  }
  ~Process() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      wait();
    }
    if (stdout_ != nullptr) std::fclose(stdout_);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  [[nodiscard]] bool started() const { return pid_ > 0; }
  // The next line of stdout without its newline; nullopt at end of output.
  std::optional<std::string> read_line() {
    char* line = nullptr;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdout_);
    if (n < 0) {
      std::free(line);
      return std::nullopt;
    }
    std::string s(line, static_cast<size_t>(n));
    std::free(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }
  // Everything left on stdout.
  std::string read_all() {
    std::string all;
    while (auto l = read_line()) all += *l + "\n";
    return all;
  }
  void signal(int sig) const { kill(pid_, sig); }
  // False once the process has exited (then wait() returns its status at once).
  bool running() {
    if (exited_ || pid_ <= 0) return false;
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) != pid_) return true;
    exited_ = true;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  // Waits for exit; returns the exit code, or 128 + signal number.
  int wait() {
    if (exited_) return status_;
    int st = 0;
    waitpid(pid_, &st, 0);
    exited_ = true;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return status_;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace paperboy::testing
