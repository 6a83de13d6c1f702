// SPDX-License-Identifier: Apache-2.0
#include "io/child_process.h"

#include "support/expect_error.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace keras::io {
namespace {

using testing::error_message;

ChildProcess::Limits quick_limits() { return {std::chrono::milliseconds(200), 0}; }

TEST(ChildProcessTest, AnswersRequestsAndKeepsItsStateInTheChild) {
  ChildProcess echo(
      [count = 0](std::string_view request) mutable {
        return std::string(request) + " " + std::to_string(++count);
      },
      quick_limits());
  EXPECT_EQ(echo.ask("first"), "first 1");
  EXPECT_EQ(echo.ask("second"), "second 2");
  EXPECT_EQ(echo.ask(std::string(1 << 20, 'x')).size(), (1u << 20) + 2);
}

// SIGKILL, as the kernel's OOM killer sends it: AddressSanitizer would catch a SIGSEGV and
// exit with status 1 instead.
TEST(ChildProcessTest, ReportsACrashAndKeepsReportingIt) {
  ChildProcess crashing(
      [](std::string_view request) {
        if (request == "crash") std::raise(SIGKILL);
        return std::string("alive");
      },
      quick_limits());
  EXPECT_EQ(crashing.ask("hello"), "alive");
  EXPECT_EQ(error_message<ChildProcessFailure>([&] { (void)crashing.ask("crash"); }),
            "crashed (signal 9, Killed)");
  EXPECT_EQ(error_message<ChildProcessFailure>([&] { (void)crashing.ask("hello"); }),
            "crashed (signal 9, Killed)");
}

TEST(ChildProcessTest, GivesUpOnAChildThatStopsAnswering) {
  ChildProcess sleeping(
      [](std::string_view) {
        std::this_thread::sleep_for(std::chrono::hours(1));
        return std::string();
      },
      {std::chrono::milliseconds(50), 0});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_message<ChildProcessFailure>([&] { (void)sleeping.ask("wake up"); }),
            "did not answer within 0.05 s");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(ChildProcessTest, ReportsAChildThatExits) {
  ChildProcess leaving([](std::string_view) -> std::string { ::_exit(3); }, quick_limits());
  EXPECT_EQ(error_message<ChildProcessFailure>([&] { (void)leaving.ask("stay"); }),
            "stopped (exit status 3)");
}

TEST(ChildProcessTest, AnExceptionLeavingTheServerEndsTheChild) {
  ChildProcess throwing([](std::string_view) -> std::string { throw std::runtime_error("bug"); },
                        quick_limits());
  EXPECT_EQ(error_message<ChildProcessFailure>([&] { (void)throwing.ask("x"); }),
            "stopped (exit status 70)");
}

TEST(ChildProcessTest, LimitsTheChildsAddressSpace) {
  constexpr std::uint64_t limit = std::uint64_t{1} << 40;
  ChildProcess limited(
      [](std::string_view) {
        rlimit space{};
        ::getrlimit(RLIMIT_AS, &space);
        return std::to_string(space.rlim_cur);
      },
      {std::chrono::milliseconds(1000), limit});
  EXPECT_EQ(limited.ask("limit?"),
            std::to_string(child_address_space_is_limited ? limit : RLIM_INFINITY));
}

// A program that dies (here a forked stand-in that leaves without destructors) takes its
// helpers with it, even one busy with a request (which would never see the socket close).
TEST(ChildProcessTest, DiesWithItsParent) {
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  const pid_t program = ::fork();
  ASSERT_GE(program, 0);
  if (program == 0) {
    static ChildProcess helper(
        [](std::string_view request) {
          if (request == "sleep") std::this_thread::sleep_for(std::chrono::hours(1));
          return std::to_string(::getpid());
        },
        {std::chrono::hours(1), 0});
    const std::string helper_pid = helper.ask("pid?");
    std::thread([] { (void)helper.ask("sleep"); }).detach();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the helper is asleep
    (void)!::write(pipe_ends[1], helper_pid.data(), helper_pid.size());
    ::_exit(0);
  }
  ::close(pipe_ends[1]);
  char text[32] = {};
  const ssize_t got = ::read(pipe_ends[0], text, sizeof text - 1);
  ::close(pipe_ends[0]);
  ::waitpid(program, nullptr, 0);
  ASSERT_GT(got, 0);
  const pid_t helper = static_cast<pid_t>(std::atoi(text));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < deadline) {
    // Dead, whether reaped (ESRCH) or a zombie left to init.
    char state = 'R';
    if (std::FILE* stat = std::fopen(("/proc/" + std::to_string(helper) + "/stat").c_str(), "r")) {
      (void)std::fscanf(stat, "%*d %*s %c", &state);
      std::fclose(stat);
      gone = state == 'Z' || state == 'X';
    } else {
      gone = true;
    }
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "helper " << helper << " outlived its parent";
}

}  // namespace
}  // namespace keras::io
