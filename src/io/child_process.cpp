// SPDX-License-Identifier: Apache-2.0
#include "io/child_process.h"

#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <poll.h>

namespace keras::io {
namespace {

// Writes all of `bytes`; false when the other end is gone.
bool send_all(int socket, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool send_message(int socket, std::string_view message) {
  const std::uint64_t size = message.size();
  return send_all(socket, std::string_view(reinterpret_cast<const char*>(&size), sizeof size)) &&
         send_all(socket, message);
}

enum class Received { complete, closed, timed_out };

// Fills `buffer` whole, waiting at most `timeout` for each part (-1: forever).
Received receive_all(int socket, char* buffer, std::size_t size, int timeout_ms) {
  while (size > 0) {
    pollfd ready{socket, POLLIN, 0};
    const int polled = ::poll(&ready, 1, timeout_ms);
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) return Received::timed_out;
    const ssize_t got = ::recv(socket, buffer, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return Received::closed;
    buffer += got;
    size -= static_cast<std::size_t>(got);
  }
  return Received::complete;
}

Received receive_message(int socket, std::string& message, int timeout_ms) {
  std::uint64_t size = 0;
  const Received header =
      receive_all(socket, reinterpret_cast<char*>(&size), sizeof size, timeout_ms);
  if (header != Received::complete) return header;
  message.resize(size);
  return receive_all(socket, message.data(), message.size(), timeout_ms);
}

[[noreturn]] void run_child(int socket, const ChildProcess::Server& serve,
                            const ChildProcess::Limits& limits, pid_t parent) {
  // A helper outlives no program: it is killed with its parent (or leaves if that already
  // happened between fork and here).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(0);
  std::signal(SIGPIPE, SIG_IGN);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  if (limits.address_space_bytes > 0 && child_address_space_is_limited) {
    const rlimit space{limits.address_space_bytes, limits.address_space_bytes};
    ::setrlimit(RLIMIT_AS, &space);
  }
  std::string request;
  while (receive_message(socket, request, -1) == Received::complete) {
    std::string reply;
    try {
      reply = serve(request);
    } catch (...) {
      ::_exit(70);  // a server reports its errors in its replies; anything else is a bug
    }
    if (!send_message(socket, reply)) break;
  }
  ::_exit(0);
}

}  // namespace

ChildProcess::ChildProcess(Server serve, Limits limits) : limits_(limits) {
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    throw ChildProcessFailure(fmt::format("cannot be started: {}", std::strerror(errno)));
  }
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    const int error = errno;
    ::close(sockets[0]);
    ::close(sockets[1]);
    throw ChildProcessFailure(fmt::format("cannot be started: {}", std::strerror(error)));
  }
  if (pid_ == 0) {
    ::close(sockets[0]);
    run_child(sockets[1], serve, limits_, parent);
  }
  ::close(sockets[1]);
  socket_ = sockets[0];
}

ChildProcess::~ChildProcess() {
  if (socket_ >= 0) ::close(socket_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string ChildProcess::ask(std::string_view request) {
  if (!failure_.empty()) throw ChildProcessFailure(failure_);
  std::string reply;
  if (!send_message(socket_, request)) fail(describe_exit());
  const auto timeout = static_cast<int>(limits_.reply_timeout.count());
  switch (receive_message(socket_, reply, timeout)) {
    case Received::complete:
      return reply;
    case Received::timed_out:
      ::kill(pid_, SIGKILL);
      (void)describe_exit();
      fail(fmt::format("did not answer within {} s",
                       std::chrono::duration<double>(limits_.reply_timeout).count()));
    case Received::closed:
      break;
  }
  fail(describe_exit());
}

void ChildProcess::fail(std::string what) {
  failure_ = std::move(what);
  throw ChildProcessFailure(failure_);
}

std::string ChildProcess::describe_exit() {
  int status = 0;
  pid_t waited = -1;
  do {
    waited = ::waitpid(pid_, &status, 0);
  } while (waited < 0 && errno == EINTR);
  pid_ = -1;
  if (waited < 0) return "stopped";
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return fmt::format("crashed (signal {}, {})", signal, ::strsignal(signal));
  }
  return fmt::format("stopped (exit status {})", WEXITSTATUS(status));
}

}  // namespace keras::io
