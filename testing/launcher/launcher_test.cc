// The launcher builds the right argv, and a program of ours started through
// it runs (under qemu in the ARM configs, directly on x86_64).
#include "testing/launcher/launcher.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char **environ;

namespace {

std::vector<std::string> Words(char **argv) {
  std::vector<std::string> v;
  for (; *argv != nullptr; argv++) v.push_back(*argv);
  return v;
}

// Sets MG_TEST_LAUNCHER for one test and puts the old value back.
class LauncherEnv {
 public:
  explicit LauncherEnv(const char *value) {
    const char *old = getenv(MG_TEST_LAUNCHER_ENV);
    had_ = old != nullptr;
    if (had_) old_ = old;
    if (value != nullptr) {
      setenv(MG_TEST_LAUNCHER_ENV, value, 1);
    } else {
      unsetenv(MG_TEST_LAUNCHER_ENV);
    }
  }
  ~LauncherEnv() {
    if (had_) {
      setenv(MG_TEST_LAUNCHER_ENV, old_.c_str(), 1);
    } else {
      unsetenv(MG_TEST_LAUNCHER_ENV);
    }
  }

 private:
  bool had_;
  std::string old_;
};

TEST(Launcher, WithoutLauncherRunsProgramItself) {
  LauncherEnv env(nullptr);
  const char *args[] = {"a", "b c", nullptr};
  char **argv = mg_test_launcher_argv("dir/prog", args);
  ASSERT_NE(argv, nullptr);
  EXPECT_EQ(Words(argv), (std::vector<std::string>{"dir/prog", "a", "b c"}));
  free(argv);
}

TEST(Launcher, BlankLauncherIsNoLauncher) {
  LauncherEnv env(" \t ");
  EXPECT_EQ(mg_test_launcher(), nullptr);
  char **argv = mg_test_launcher_argv("prog", nullptr);
  ASSERT_NE(argv, nullptr);
  EXPECT_EQ(Words(argv), (std::vector<std::string>{"prog"}));
  free(argv);
}

TEST(Launcher, PrefixWordsComeFirst) {
  LauncherEnv env("  qemu-arm -L /sysroot\t-E X=1  ");
  const char *args[] = {"--flag", nullptr};
  char **argv = mg_test_launcher_argv("prog", args);
  ASSERT_NE(argv, nullptr);
  EXPECT_EQ(Words(argv),
            (std::vector<std::string>{"qemu-arm", "-L", "/sysroot", "-E", "X=1",
                                      "prog", "--flag"}));
  free(argv);
}

// Runs argv, returns its stdout; *status gets the exit status.
std::string RunProgram(char **argv, int *status) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  std::string out;
  if (rc == 0) {
    char buf[256];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
      out.append(buf, (size_t) n);
    waitpid(pid, status, 0);
  } else {
    out = "spawn failed";
  }
  close(fds[0]);
  return out;
}

TEST(Launcher, StartsAProgramOfOurs) {
  const char *args[] = {"one", "two", nullptr};
  char **argv = mg_test_launcher_argv("testing/launcher/launcher_helper", args);
  ASSERT_NE(argv, nullptr);
  int status = -1;
  std::string out = RunProgram(argv, &status);
  free(argv);
  EXPECT_EQ(out, "helper(2) one two\n");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

}  // namespace
