// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace keras::io {

/// Whether ChildProcess::Limits::address_space_bytes applies: not under AddressSanitizer, which
/// reserves terabytes of shadow memory.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool child_address_space_is_limited = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool child_address_space_is_limited = false;
#else
inline constexpr bool child_address_space_is_limited = true;
#endif
#else
inline constexpr bool child_address_space_is_limited = true;
#endif

/// Thrown when the helper cannot be started or cannot answer; what() says what became of it,
/// e.g. "crashed (signal 11, Segmentation fault)" or "did not answer within 60 s".
class ChildProcessFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A helper process forked from this one that answers requests one at a time, so that code
/// which trusts its input (HDF5 1.10 reading files from strangers) may crash, hang or run out of
/// memory without taking the program down. `serve` runs in the child for each request and
/// returns the reply; its state (what the lambda captures) lives in the child. The child has no
/// core dumps, an address-space limit (see child_address_space_is_limited), dies with its
/// parent (PR_SET_PDEATHSIG: with the thread that created it, so a ChildProcess belongs to the
/// thread that made it, as kerascpp's loaders use it), and leaves with _exit, never running
/// the parent's exit handlers.
class ChildProcess {
 public:
  using Server = std::function<std::string(std::string_view request)>;

  struct Limits {
    /// How long the child may stay silent while the parent waits for a reply.
    std::chrono::milliseconds reply_timeout{60'000};
    /// RLIMIT_AS of the child; 0 leaves it unlimited.
    std::uint64_t address_space_bytes = 0;
  };

  /// Forks the child; throws ChildProcessFailure when that is impossible.
  ChildProcess(Server serve, Limits limits);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  /// Kills the child (it holds nothing to save) and reaps it.
  ~ChildProcess();

  /// Sends `request`, returns the reply. After a failure the child is gone and every later
  /// call throws the same failure.
  [[nodiscard]] std::string ask(std::string_view request);

 private:
  [[noreturn]] void fail(std::string what);
  [[nodiscard]] std::string describe_exit();

  Limits limits_;
  pid_t pid_ = -1;
  int socket_ = -1;
  std::string failure_;
};

}  // namespace keras::io
