// The sleeping worker pool of threadpool.h.
#include "threadpool.h"

namespace tsorch {
ThreadPool::ThreadPool(int threads) { resize(threads); }
ThreadPool::~ThreadPool() { stop_workers(); }

void ThreadPool::stop_workers() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    quit_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  quit_ = false;
}

void ThreadPool::resize(int threads) {
  if (threads < 1) threads = 1;
  std::lock_guard<std::mutex> job(job_mu_);
  stop_workers();
  threads_ = threads;
  for (int i = 1; i < threads; i++) workers_.emplace_back([this, i] { worker_loop(i); });
}

void ThreadPool::worker_loop(int id) {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(int64_t)>* job;
    {
      std::unique_lock<std::mutex> lk(mu_);
      wake_.wait(lk, [&] { return quit_ || (generation_ != seen && id < active_limit_); });
      if (quit_) return;
      seen = generation_;
      job = job_;
      running_++;
    }
    for (int64_t t; (t = next_.fetch_add(1)) < tasks_;) (*job)(t);
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (--running_ == 0) done_.notify_all();
    }
  }
}

void ThreadPool::run(int64_t tasks, int threads, const std::function<void(int64_t)>& fn) {
  if (threads > threads_) threads = threads_;
  std::unique_lock<std::mutex> job(job_mu_, std::try_to_lock);
  if (tasks <= 1 || threads <= 1 || !job.owns_lock()) {
    for (int64_t t = 0; t < tasks; t++) fn(t);
    return;
  }
  {
    std::lock_guard<std::mutex> lk(mu_);
    job_ = &fn;
    tasks_ = tasks;
    next_.store(0);
    active_limit_ = threads;
    generation_++;
  }
  wake_.notify_all();
  for (int64_t t; (t = next_.fetch_add(1)) < tasks;) fn(t);
  std::unique_lock<std::mutex> lk(mu_);
  // Workers that never woke for this generation must not pick it up later: close it before returning.
  done_.wait(lk, [&] { return running_ == 0; });
  active_limit_ = 0;
  job_ = nullptr;
}

void ThreadPool::parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  int64_t chunks = grain > 0 ? n / grain : n;
  if (chunks > threads_) chunks = threads_;
  if (chunks <= 1) {
    fn(0, n);
    return;
  }
  run(chunks, threads_, [&](int64_t c) { fn(n * c / chunks, n * (c + 1) / chunks); });
}
}  // namespace tsorch
