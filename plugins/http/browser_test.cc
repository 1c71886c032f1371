// Chromium (headless) loads a page with its script, stylesheet and image
// from mg_serve_http() over real sockets: the script reports that the CSS
// applied and the image decoded, and --dump-dom shows it.
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plugins/http/http_test_util.h"

extern "C" char **environ;

namespace {

std::string Tmp() {
  const char *t = getenv("TEST_TMPDIR");
  return t != nullptr ? t : "/tmp";
}

void WriteFile(const std::string &path, const std::string &data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

std::string ReadFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const char kChromium[] = "/usr/bin/chromium";

class BrowserTest : public httptest::HttpTest {
 protected:
  // Runs argv while polling the manager; stdout goes to *out.
  int Run(std::vector<std::string> argv, std::string *out, double secs) {
    std::string out_path = Tmp() + "/browser.out",
                err_path = Tmp() + "/browser.err";
    std::vector<char *> av;
    for (std::string &a : argv) av.push_back(&a[0]);
    av.push_back(nullptr);
    std::vector<std::string> env = {"HOME=" + Tmp(), "PATH=/usr/bin:/bin"};
    std::vector<char *> ev;
    for (std::string &e : env) ev.push_back(&e[0]);
    ev.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, av[0], &fa, &attr, av.data(), ev.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return -1;
    int status = 0;
    bool done = false;
    double deadline = mg_time() + secs;
    for (int i = 0; i < 10000000 && !done && mg_time() < deadline; i++) {
      mg_mgr_poll(&mgr_, 5);
      done = waitpid(pid, &status, WNOHANG) == pid;
    }
    if (!done) {
      kill(-pid, SIGKILL);  // the browser's own process group
      waitpid(pid, &status, 0);
      return -2;
    }
    kill(-pid, SIGKILL);  // helpers left behind, if any
    *out = ReadFile(out_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -3;
  }
};

TEST_F(BrowserTest, PageLoadsWithItsAssets) {
  if (access(kChromium, X_OK) != 0) GTEST_SKIP() << "no " << kChromium;
  std::string root = Tmp() + "/site";
  mkdir(root.c_str(), 0755);
  WriteFile(
      root + "/index.html",
      "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"style.css\">"
      "<script src=\"app.js\"></script></head>"
      "<body><p id=\"p\">static</p><img id=\"i\" "
      "src=\"dot.gif\"></body></html>");
  WriteFile(root + "/style.css", "p { color: rgb(1, 2, 3); }\n");
  WriteFile(root + "/app.js",
            "window.addEventListener('load', function () {\n"
            "  var p = document.getElementById('p'), img = "
            "document.getElementById('i');\n"
            "  document.body.setAttribute('data-result', 'js-ran css=' +\n"
            "      getComputedStyle(p).color + ' img=' + img.naturalWidth);\n"
            "});\n");
  WriteFile(
      root + "/dot.gif",
      std::string(
          "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04"
          "\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02"
          "D\x01\x00;",
          43));
  httptest::Server srv;
  struct mg_serve_http_opts opts = {};
  opts.document_root = root.c_str();
  srv.fn = [&](struct mg_connection *c, int ev, void *ev_data) {
    if (ev == MG_EV_HTTP_REQUEST) {
      mg_serve_http(c, static_cast<struct http_message *>(ev_data), opts);
    }
  };
  struct mg_connection *lc = Listen("tcp://127.0.0.1:0", &srv);
  ASSERT_NE(lc, nullptr);
  std::string url =
      "http://127.0.0.1:" + std::to_string(mgtest::LocalPort(lc)) + "/";
  std::string dom;
  int rc = Run(
      {kChromium, "--headless", "--no-sandbox", "--disable-gpu",
       "--disable-quic", "--no-first-run", "--disable-background-networking",
       "--disable-component-update", "--disable-sync",
       "--disable-dev-shm-usage", "--user-data-dir=" + Tmp() + "/chrome",
       "--virtual-time-budget=5000", "--dump-dom", url},
      &dom, 120);
  ASSERT_EQ(rc, 0) << ReadFile(Tmp() + "/browser.err");
  EXPECT_NE(dom.find("data-result=\"js-ran css=rgb(1, 2, 3) img=1\""),
            std::string::npos)
      << dom;
  std::vector<std::string> uris = srv.uris;
  for (const char *u : {"/", "/style.css", "/app.js", "/dot.gif"}) {
    EXPECT_NE(std::find(uris.begin(), uris.end(), u), uris.end()) << u;
  }
}

}  // namespace
