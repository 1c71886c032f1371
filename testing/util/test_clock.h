// A manager clock that moves only when a test moves it, so that a 30 s
// timeout or a 247 s lifetime takes microseconds of real time. Installed
// with mg_mgr_set_clock() on construction; the clock the manager had
// before comes back on destruction.
//
//   mgtest::TestClock clock(&mgr);      // time stands at clock.Now()
//   clock.Advance(29.9);                // no poll: nothing happens by itself
//   clock.Run(60, 0.5);                 // 60 s in 0.5 s steps, a poll each
#ifndef MG_TESTING_UTIL_TEST_CLOCK_H
#define MG_TESTING_UTIL_TEST_CLOCK_H

#include <chrono>

#include "mg/core.h"

namespace mgtest {

class TestClock {
 public:
  // The default start is a plausible UNIX time (2023-11-14), far from 0
  // (0 means "no timer") and from the wall clock, so a stamp taken from
  // the wrong clock shows.
  static constexpr double kDefaultStart = 1700000000.0;

  explicit TestClock(struct mg_mgr *mgr, double start = kDefaultStart)
      : mgr_(mgr),
        now_(start),
        old_fn_(mgr->clock_fn),
        old_arg_(mgr->clock_arg) {
    mg_mgr_set_clock(mgr_, &TestClock::Read, this);
  }
  ~TestClock() { mg_mgr_set_clock(mgr_, old_fn_, old_arg_); }
  TestClock(const TestClock &) = delete;
  TestClock &operator=(const TestClock &) = delete;

  // The time the manager sees.
  double Now() const { return now_; }

  // Moves time forward (or anywhere: a test of a clock going back may).
  void Advance(double seconds) { now_ += seconds; }
  void Set(double t) { now_ = t; }

  // Lets `seconds` pass in steps of `step`, polling the manager once
  // (without waiting) after each step, as time passing on a quiet manager
  // would. At most 1,000,000 steps. Returns the number of polls made.
  int Run(double seconds, double step) {
    int n = 0;
    double end = now_ + seconds;
    if (step <= 0) step = seconds > 0 ? seconds : 1;
    for (; n < 1000000 && now_ < end; n++) {
      now_ = now_ + step < end ? now_ + step : end;
      mg_mgr_poll(mgr_, 0);
    }
    return n;
  }

 private:
  static double Read(void *arg) { return static_cast<TestClock *>(arg)->now_; }

  struct mg_mgr *mgr_;
  double now_;
  mg_clock_fn old_fn_;
  void *old_arg_;
};

// Real (steady) seconds elapsed since construction: to show that a test
// of a long simulated span took little real time.
class RealTimer {
 public:
  RealTimer() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace mgtest

#endif  // MG_TESTING_UTIL_TEST_CLOCK_H
