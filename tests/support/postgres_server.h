// A throwaway PostgreSQL 15 server for tests that run against the PostgreSQL store: initdb into a
// TempDir (trust auth for the user "paperboy"), `postgres` on a free loopback port with fsync off,
// a fresh database per test, stopped at the end. One server per test process, started on first use
// by PostgresServer::shared() and stopped by the registered GoogleTest Environment.
// PostgreSQL refuses to run as root, so under root (CI) initdb and postgres run as `nobody` through
// util-linux's setpriv; --pdeathsig makes the server exit if the test process dies without cleanup.
// Test-only; not thread-safe (call from the test thread).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

extern char** environ;

namespace paperboy::testing {

class PostgresServer {
 public:
  // Debian's PostgreSQL 15 binaries; $PAPERBOY_PG_BINDIR overrides.
  static std::string bin_dir() {
    const char* d = std::getenv("PAPERBOY_PG_BINDIR");
    return d != nullptr && *d != '\0' ? d : "/usr/lib/postgresql/15/bin";
  }

  // Starts a fresh server; the error message says what failed (with the server log's tail).
  static std::unique_ptr<PostgresServer> start(std::string& error) {
    std::unique_ptr<PostgresServer> server(new PostgresServer);
    if (!server->boot(error)) return nullptr;
    return server;
  }

  // The process-wide server, started on first use; nullptr (and `error`) when it cannot start.
  static PostgresServer* shared(std::string* error = nullptr) {
    static std::string start_error;
    if (!instance() && start_error.empty()) {
      instance() = start(start_error);
      if (!instance() && start_error.empty()) start_error = "unknown error";
    }
    if (error != nullptr) *error = start_error;
    return instance().get();
  }
  static void stop_shared() { instance().reset(); }

  ~PostgresServer() { stop(); }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  // postgresql://paperboy@/DB?host=SOCKET_DIR&port=5432
  [[nodiscard]] std::string url(const std::string& database) const {
    // The server listens on a Unix socket in its own directory only (no TCP port to pick, so none
    // another process can take or share); libpq finds it through host=DIR.
    return "postgresql://paperboy@/" + database + "?host=" + root_.string() + "&port=" + std::to_string(port_);
  }

  // Creates an empty database with a new name and returns its URL; "" on failure (see `error`).
  std::string create_database(std::string& error) {
    std::string name = "pb_test_" + std::to_string(++databases_);
    // An identifier cannot be a bound parameter; the name is our own counter, never user input.
    // FILE_COPY from template0 is the fastest way to a clean database with fsync off.
    if (!admin_exec("CREATE DATABASE " + name + " TEMPLATE template0 STRATEGY FILE_COPY", error)) return "";
    return url(name);
  }

  // Runs one SQL command on the maintenance database `postgres`.
  bool admin_exec(const std::string& sql, std::string& error) const {
    PGconn* conn = PQconnectdb(url("postgres").c_str());
    bool ok = PQstatus(conn) == CONNECTION_OK;
    if (ok) {
      PGresult* res = PQexec(conn, sql.c_str());
      ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
      PQclear(res);
    }
    if (!ok) error = sql + ": " + PQerrorMessage(conn);
    PQfinish(conn);
    return ok;
  }

  // Starts the server again after stop(), on the same port and data: a database restart as its
  // clients see it.
  bool restart(std::string& error) { return start_server((root_ / "data").string(), error, port_); }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGINT);  // fast shutdown: disconnect clients, checkpoint, exit
    int st = 0;
    waitpid(pid_, &st, 0);
    pid_ = -1;
  }

 private:
  PostgresServer() = default;

  static std::unique_ptr<PostgresServer>& instance() {
    static std::unique_ptr<PostgresServer> server;
    return server;
  }

  // Prefix that runs a command as the server's user and kills it when we die.
  std::vector<std::string> as_server_user(std::vector<std::string> argv) const {
    std::vector<std::string> out = {"/usr/bin/setpriv"};
    if (geteuid() == 0) {
      out.push_back("--reuid=" + std::to_string(uid_));
      out.push_back("--regid=" + std::to_string(gid_));
      out.push_back("--clear-groups");
    }
    out.push_back("--pdeathsig=SIGQUIT");  // immediate shutdown if the test process dies
    out.push_back("--");
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
  }

  // Spawns argv with stdout and stderr appended to log_ and the working directory in our temp
  // directory (the caller's may not be readable by `nobody`). process.h's Process pipes stdout to
  // the test instead, which would leave the server's log on the test's stderr.
  pid_t spawn(const std::vector<std::string>& argv) const {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(&actions, root_.c_str());
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  }

  std::string log_tail() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string all = ss.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
  }

  bool boot(std::string& error) {
    if (geteuid() == 0) {
      const passwd* nobody = getpwnam("nobody");
      if (nobody == nullptr) {
        error = "running as root and there is no user 'nobody' to run PostgreSQL as";
        return false;
      }
      uid_ = nobody->pw_uid;
      gid_ = nobody->pw_gid;
    } else {
      uid_ = geteuid();
      gid_ = getegid();
    }
    // TempDir is 0700 root: let `nobody` through to its own subdirectory, and no further.
    chmod(dir_.path().c_str(), 0711);
    root_ = dir_.path() / "pg";
    std::filesystem::create_directory(root_);
    if (chown(root_.c_str(), uid_, gid_) != 0) {
      error = "cannot chown " + root_.string() + " to uid " + std::to_string(uid_);
      return false;
    }
    log_ = (dir_.path() / "server.log").string();
    std::string data = (root_ / "data").string();
    pid_t initdb = spawn(as_server_user({bin_dir() + "/initdb", "-D", data, "-U", "paperboy", "--auth=trust",
                                         "--no-sync", "--no-locale", "-E", "UTF8"}));
    int st = 0;
    if (initdb <= 0 || waitpid(initdb, &st, 0) != initdb || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      error = "initdb failed (is postgresql-15 installed? see scripts/setup.sh):\n" + log_tail();
      return false;
    }
    return start_server(data, error);
  }

  bool start_server(const std::string& data, std::string& error, int port = 0) {
    port_ = port > 0 ? port : 5432;  // only names the socket file, in this server's own directory
    pid_ = spawn(as_server_user({bin_dir() + "/postgres", "-D", data, "-p", std::to_string(port_), "-k", root_.string(),
                                 "-c", "listen_addresses=", "-c", "fsync=off", "-c", "full_page_writes=off", "-c",
                                 "synchronous_commit=off", "-c", "max_connections=100"}));
    if (pid_ <= 0) {
      error = "cannot spawn postgres";
      return false;
    }
    std::string conninfo = url("postgres") + "&connect_timeout=2";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    int st = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (PQping(conninfo.c_str()) == PQPING_OK) return true;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        error = "postgres exited during startup:\n" + log_tail();
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    error = "postgres did not accept connections within 60 s:\n" + log_tail();
    return false;
  }

  TempDir dir_;
  std::filesystem::path root_;
  std::string log_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  int port_ = 0;
  pid_t pid_ = -1;
  int databases_ = 0;
};

// Stops the shared server after the last test of the process.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { PostgresServer::stop_shared(); }
};

inline ::testing::Environment* const kPostgresEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

// A fresh database on the shared server for the running test; fails the test when impossible.
inline std::string fresh_postgres_database() {
  std::string error;
  PostgresServer* server = PostgresServer::shared(&error);
  if (server == nullptr) {
    ADD_FAILURE() << "cannot start PostgreSQL: " << error;
    return "";
  }
  std::string url = server->create_database(error);
  if (url.empty()) ADD_FAILURE() << "cannot create a database: " << error;
  return url;
}

}  // namespace paperboy::testing
