// SPDX-License-Identifier: Apache-2.0
#include "io/child_process.h"

#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <poll.h>

namespace keras::io {
namespace {

// Writes the size and then the bytes of `message`, in one call when the socket takes it all;
// false when the other end is gone.
bool send_message(int socket, std::string_view message) {
  const std::uint64_t size = message.size();
  iovec parts[2] = {{const_cast<std::uint64_t*>(&size), sizeof size},
                    {const_cast<char*>(message.data()), message.size()}};
  msghdr header{};
  header.msg_iov = parts;
  header.msg_iovlen = 2;
  while (header.msg_iovlen > 0) {
    const ssize_t sent = ::sendmsg(socket, &header, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    auto left = static_cast<std::size_t>(sent);
    while (header.msg_iovlen > 0 && left >= header.msg_iov->iov_len) {
      left -= header.msg_iov->iov_len;
      ++header.msg_iov;
      --header.msg_iovlen;
    }
    if (header.msg_iovlen > 0) {
      header.msg_iov->iov_base = static_cast<char*>(header.msg_iov->iov_base) + left;
      header.msg_iov->iov_len -= left;
    }
  }
  return true;
}

enum class Received { complete, closed, timed_out };

// An answer usually comes within microseconds. Sleeping in poll() until it does costs a
// sleep and a wake-up per message (tens of microseconds on a virtual machine, a few
// milliseconds over a file's hundred questions), so the first moments are spent asking
// again instead.
constexpr auto spin_before_sleeping = std::chrono::microseconds(50);

// Fills `buffer` whole, waiting at most `timeout` for each part (-1: forever).
Received receive_all(int socket, char* buffer, std::size_t size, int timeout_ms) {
  auto spin_until = std::chrono::steady_clock::now() + spin_before_sleeping;
  while (size > 0) {
    const ssize_t got = ::recv(socket, buffer, size, MSG_DONTWAIT);
    if (got > 0) {
      buffer += got;
      size -= static_cast<std::size_t>(got);
      spin_until = std::chrono::steady_clock::now() + spin_before_sleeping;
      continue;
    }
    if (got == 0) return Received::closed;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return Received::closed;
    if (std::chrono::steady_clock::now() < spin_until) continue;
    pollfd ready{socket, POLLIN, 0};
    const int polled = ::poll(&ready, 1, timeout_ms);
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) return Received::timed_out;
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
