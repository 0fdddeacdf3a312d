// A fixed pool of sleeping workers for parallel loops: workers block on a condition variable between jobs (no
// spinning that would fight other processes for the cores); the caller takes a share of the work itself.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tsorch {
class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  void resize(int threads);
  int size() const { return threads_; }
  // Runs fn(task) for task in [0, tasks) on up to `threads` threads (the caller included); returns when all are done.
  void run(int64_t tasks, int threads, const std::function<void(int64_t)>& fn);
  // Splits [0, n) into contiguous chunks of at least `grain` and runs fn(begin, end) on each.
  void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void stop_workers();
  void worker_loop(int id);
  int threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  // Held for a whole job: the addon is shared by every worker_thread of the process, and a second caller that
  // finds the pool busy runs its tasks itself instead of interleaving with the running job.
  std::mutex job_mu_;
  std::condition_variable wake_, done_;
  const std::function<void(int64_t)>* job_ = nullptr;
  int64_t tasks_ = 0;
  std::atomic<int64_t> next_{0};
  int active_limit_ = 0;  // workers allowed to join this job
  int running_ = 0;       // workers still inside the job
  uint64_t generation_ = 0;
  bool quit_ = false;
};
}  // namespace tsorch
