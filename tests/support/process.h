// A child process for integration tests that drive the real `paperboy` binary: spawn with
// arguments and environment, read its stdout line by line, signal it, wait for it. Test-only.
#pragma once

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

class Process {
 public:
  // Starts `argv[0]` with `argv`; `extra_env` entries ("KEY=VALUE") are added to the environment.
  Process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {}) {
    int out[2];
    if (pipe(out) != 0) std::abort();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
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
