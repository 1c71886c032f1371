// 10,000 concurrent clients, connecting in waves from this process, against
// one manager in another process (testing/stress/echo_server.c); every
// client is echoed, and all 10,000 are open at once at the end.
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include <fstream>
#include <string>
#include <vector>

#include "testing/util/test_util.h"

namespace {

constexpr int kClients = 10000;
constexpr int kWave = 1000;  // well under the listen backlog of 4096

struct Client {
  int fd = -1;
  bool connected = false;
  std::string want, got;
};

long ReadNumber(const std::string &path, double seconds) {
  double deadline = mg_time() + seconds;
  for (int i = 0; i < 100000 && mg_time() < deadline; i++) {
    std::ifstream in(path);
    long n = -1;
    if (in >> n) return n;
    usleep(10000);  // another process writes it: nothing to poll
  }
  return -1;
}

void RaiseNoFile() {
  struct rlimit rl;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
  rl.rlim_cur = rl.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
  ASSERT_GE(rl.rlim_cur, static_cast<rlim_t>(kClients + 100))
      << "the hard limit of open files is too low for this test";
}

}  // namespace

TEST(EchoStress, TenThousandConcurrentClients) {
  RaiseNoFile();
  std::string dir = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
  std::string port_file = dir + "/port", peak_file = dir + "/peak";
  unlink(port_file.c_str());
  unlink(peak_file.c_str());
  pid_t pid = mgtest::Spawn(
      {mgtest::Runfile("testing/stress/echo_server"), port_file, peak_file});
  ASSERT_GT(pid, 0);
  long port = ReadNumber(port_file, 20);
  ASSERT_GT(port, 0);

  struct sockaddr_in sin;
  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(static_cast<uint16_t>(port));
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

  int ep = epoll_create1(0);
  ASSERT_GE(ep, 0);
  std::vector<Client> clients(kClients);
  int connected = 0, echoed = 0, failed = 0, started = 0;
  std::vector<struct epoll_event> events(1024);
  double deadline = mg_time() + 120;
  while ((connected + failed < kClients || echoed + failed < kClients) &&
         mg_time() < deadline) {
    // Start the next wave once the previous one is connected.
    if (started < kClients && connected + failed == started) {
      for (int i = started; i < started + kWave && i < kClients; i++) {
        Client &c = clients[i];
        c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ASSERT_GE(c.fd, 0) << "client " << i << ": " << strerror(errno);
        c.want = "client-" + std::to_string(i) + "\n";
        int r = connect(c.fd, reinterpret_cast<struct sockaddr *>(&sin),
                        sizeof(sin));
        ASSERT_TRUE(r == 0 || errno == EINPROGRESS) << strerror(errno);
        struct epoll_event ev;
        ev.events = EPOLLOUT | EPOLLIN;
        ev.data.u32 = static_cast<uint32_t>(i);
        ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev), 0);
      }
      started = std::min(started + kWave, kClients);
    }
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    for (int k = 0; k < n; k++) {
      Client &c = clients[events[k].data.u32];
      if (!c.connected &&
          (events[k].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int err = 0;
        socklen_t len = sizeof(err);
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          failed++;
          epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
          continue;
        }
        c.connected = true;
        connected++;
        ASSERT_EQ(write(c.fd, c.want.data(), c.want.size()),
                  static_cast<ssize_t>(c.want.size()));
        struct epoll_event ev;
        ev.events = EPOLLIN;
        ev.data.u32 = events[k].data.u32;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
      } else if (c.connected && (events[k].events & EPOLLIN)) {
        char buf[256];
        ssize_t r = read(c.fd, buf, sizeof(buf));
        if (r <= 0) {
          failed++;
          epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
          continue;
        }
        c.got.append(buf, static_cast<size_t>(r));
        if (c.got.size() >= c.want.size()) {
          EXPECT_EQ(c.got, c.want);
          echoed++;
          epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);  // stays open
        }
      }
    }
  }
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(connected, kClients);
  EXPECT_EQ(echoed, kClients);
  // All clients are still open: the server must have held them all at once.
  mgtest::Stop(pid, 20);
  for (Client &c : clients) {
    if (c.fd >= 0) close(c.fd);
  }
  close(ep);
  EXPECT_GE(ReadNumber(peak_file, 5), kClients);
}
