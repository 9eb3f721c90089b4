// hnswlib (the C++ header library from Debian's libhnswlib-dev) compiled for this CPU
// (-O3 -march=native, so AVX2 where the Debian Python module is built for SSE only), with the
// arguments and CSV rows of `vecgate bench ann --index HNSW`. Built and run by
// bench/peers/hnswlib_native.sh; not part of the Maven build.
//
//   hnswlib_native BASE QUERY GT METRIC(L2|IP) M EF_CONSTRUCTION EFS(16,32,..) K THREADS CSV
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;

// Reads a TEXMEX file (.fvecs with T = float, .ivecs with T = int): per row an int32 d, then d values.
template <typename T>
static std::vector<T> read_vecs(const char* path, int* n, int* d) {
  std::ifstream in(path, std::ios::binary);
  if (!in) { std::fprintf(stderr, "cannot read %s\n", path); std::exit(2); }
  std::vector<T> out;
  int dim = 0, rows = 0;
  while (in.read(reinterpret_cast<char*>(&dim), 4)) {
    size_t at = out.size();
    out.resize(at + dim);
    in.read(reinterpret_cast<char*>(out.data() + at), 4L * dim);
    rows++;
  }
  *n = rows; *d = dim;
  return out;
}

template <typename F>
static void parallel_for(int from, int to, int threads, F fn) {
  std::atomic<int> next(from);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; t++) {
    pool.emplace_back([&] { for (int i; (i = next++) < to;) fn(i); });
  }
  for (auto& th : pool) th.join();
}

static std::vector<hnswlib::labeltype> knn(hnswlib::HierarchicalNSW<float>& index, const float* q, int k) {
  auto pq = index.searchKnn(q, k);
  std::vector<hnswlib::labeltype> ids(pq.size());
  for (int i = (int)pq.size() - 1; i >= 0; i--) { ids[i] = pq.top().second; pq.pop(); }
  return ids;
}

static double recall_at(const std::vector<std::vector<hnswlib::labeltype>>& res, const std::vector<int>& gt,
                        int gtWidth, int r) {
  double total = 0;
  for (size_t q = 0; q < res.size(); q++) {
    int hit = 0;
    for (int j = 0; j < r && j < (int)res[q].size(); j++)
      for (int g = 0; g < r; g++)
        if ((int)res[q][j] == gt[q * gtWidth + g]) { hit++; break; }
    total += (double)hit / r;
  }
  return total / res.size();
}

int main(int argc, char** argv) {
  if (argc != 11) {
    std::fprintf(stderr, "usage: %s BASE QUERY GT L2|IP M EF_CONSTRUCTION EFS K THREADS CSV\n", argv[0]);
    return 2;
  }
  int n, d, nq, qd, ng, gw;
  std::vector<float> base = read_vecs<float>(argv[1], &n, &d);
  std::vector<float> queries = read_vecs<float>(argv[2], &nq, &qd);
  std::vector<int> gt = read_vecs<int>(argv[3], &ng, &gw);
  std::string metric = argv[4];
  int M = std::atoi(argv[5]), efc = std::atoi(argv[6]), k = std::atoi(argv[8]), threads = std::atoi(argv[9]);
  std::vector<int> efs;
  { std::stringstream ss(argv[7]); std::string t; while (std::getline(ss, t, ',')) efs.push_back(std::stoi(t)); }

  hnswlib::SpaceInterface<float>* space;
  if (metric == "IP") space = new hnswlib::InnerProductSpace(d); else space = new hnswlib::L2Space(d);
  hnswlib::HierarchicalNSW<float> index(space, n, M, efc, 100);
  auto t0 = Clock::now();
  index.addPoint(base.data(), 0);  // as the Python binding does: the first point alone, then in parallel
  parallel_for(1, n, threads, [&](int i) { index.addPoint(base.data() + (size_t)i * d, i); });
  double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
  size_t bytes = (size_t)n * index.size_data_per_element_;
  for (int i = 0; i < n; i++) bytes += (size_t)index.element_levels_[i] * index.size_links_per_element_;

  std::printf("# hnswlib-native:HNSW %s params=[M=%d,efConstruction=%d] build %.3f s, index %zu bytes; k %d, threads %d\n",
              metric.c_str(), M, efc, build_s, bytes, k, threads);
  std::printf("%-16s %9s %9s %10s %10s %10s %9s %9s\n", "sweep", "recall@1", "recall@10", "recall@100", "qps_1t",
              "qps_all", "p50_ms", "p99_ms");
  FILE* csv = std::fopen(argv[10], "w");
  std::fprintf(csv, "index,params,sweep,recall@1,recall@10,recall@100,qps_1t,qps_all,p50_ms,p99_ms,build_s,index_bytes\n");
  for (int ef : efs) {
    index.setEf(ef);
    auto warm = Clock::now();  // same rule as the Java command: passes until 2 s have gone by
    while (std::chrono::duration<double>(Clock::now() - warm).count() < 2.0)
      parallel_for(0, std::min(nq, 1000), threads, [&](int i) { knn(index, queries.data() + (size_t)i * d, k); });
    std::vector<std::vector<hnswlib::labeltype>> res(nq);
    std::vector<double> lat(nq);
    auto s = Clock::now();
    for (int i = 0; i < nq; i++) {
      auto q0 = Clock::now();
      res[i] = knn(index, queries.data() + (size_t)i * d, k);
      lat[i] = std::chrono::duration<double, std::milli>(Clock::now() - q0).count();
    }
    double qps1 = nq / std::chrono::duration<double>(Clock::now() - s).count();
    s = Clock::now();
    parallel_for(0, nq, threads, [&](int i) { knn(index, queries.data() + (size_t)i * d, k); });
    double qpsAll = nq / std::chrono::duration<double>(Clock::now() - s).count();
    double r1 = recall_at(res, gt, gw, 1), r10 = k >= 10 ? recall_at(res, gt, gw, 10) : NAN, r100 = NAN;
    if (gw >= 100) {  // untimed search with k = 100 (ef raised to 100 when smaller), as the Java command
      index.setEf(std::max(ef, 100));
      std::vector<std::vector<hnswlib::labeltype>> wide(nq);
      parallel_for(0, nq, threads, [&](int i) { wide[i] = knn(index, queries.data() + (size_t)i * d, 100); });
      r100 = recall_at(wide, gt, gw, 100);
    }
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) { return lat[std::max(0, std::min(nq - 1, (int)std::ceil(p * nq) - 1))]; };
    std::printf("ef=%-13d %9.4f %9.4f %10.4f %10.1f %10.1f %9.3f %9.3f\n", ef, r1, r10, r100, qps1, qpsAll, pct(0.5),
                pct(0.99));
    std::fprintf(csv, "hnswlib-native:HNSW,\"M=%d,efConstruction=%d\",ef=%d,%.4f,%.4f,%.4f,%.1f,%.1f,%.3f,%.3f,%.3f,%zu\n", M,
                 efc, ef, r1, r10, r100, qps1, qpsAll, pct(0.5), pct(0.99), build_s, bytes);
    std::fflush(stdout);
  }
  std::fclose(csv);
  return 0;
}
