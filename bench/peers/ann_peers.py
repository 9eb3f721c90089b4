#!/usr/bin/env python3
"""The ANN benchmark of `vecgate bench ann`, run on faiss or hnswlib, for side-by-side numbers.

Same arguments and the same CSV format as the Java command, so both can be tabulated together
(see csv2md.py). Run with the system Python that has faiss and hnswlib:

  /usr/bin/python3 bench/peers/ann_peers.py --engine faiss --base B.fvecs --query Q.fvecs \
      --gt G.ivecs --index IVF_SQ8 --metric L2 --params nlist=1024 --sweep nprobe=1,8,32 \
      --k 10 --threads 2 --csv results/faiss_ivf_sq8.csv

How it measures (and how that differs from the Java command):
  * qps_1t / p50 / p99: one thread (omp_set_num_threads(1) / hnswlib num_threads=1), one query
    per call, per-query wall time from Python, so it includes the Python call overhead of a few
    microseconds per query.
  * qps_all: the whole query set in ONE call with N OpenMP (or hnswlib) threads: that is how
    users run faiss. vecgate's qps_all instead uses N Java threads, each taking --batch queries
    per call. The note is printed with the results.
  * recall@R for R > k comes from an extra, untimed search with k = R.
  * build_s includes training (k-means / PQ codebooks) and adding, with N threads.
  * index_bytes: size of the serialised index (faiss.serialize_index / hnswlib save_index).
  * COSINE: vectors are normalised and searched with inner product.
"""
import argparse
import csv
import math
import os
import sys
import tempfile
import time

import numpy as np

HEADER = ["index", "params", "sweep", "recall@1", "recall@10", "recall@100", "qps_1t", "qps_all",
          "p50_ms", "p99_ms", "build_s", "index_bytes"]
RECALL_AT = (1, 10, 100)
SEARCH_TIME = {"nprobe", "ef", "quick", "rerank", "exact"}
BUILD_TIME = {"nlist", "m", "nbits", "M", "efConstruction"}


def read_vecs(path, dtype, limit=0):
    """Reads an fvecs/ivecs file (int32 d, then d values per row, little-endian) without copying twice."""
    raw = np.memmap(path, dtype=np.int32, mode="r")
    if raw.size == 0:
        sys.exit(f"{path}: empty file")
    d = int(raw[0])
    if d < 1 or raw.size % (d + 1) != 0:
        sys.exit(f"{path}: size is not a multiple of the row size (dimension {d}); truncated or not TEXMEX")
    rows = raw.reshape(-1, d + 1)
    if limit > 0:
        rows = rows[:limit]
    if not np.all(rows[:, 0] == d):
        sys.exit(f"{path}: rows of differing dimension")
    return np.ascontiguousarray(rows[:, 1:]).view(dtype)


def parse_params(spec):
    build, search = {}, {}
    for kv in filter(None, (s.strip() for s in (spec or "").split(","))):
        if "=" not in kv:
            sys.exit(f"parameter '{kv}' must look like name=value")
        name, value = (x.strip() for x in kv.split("=", 1))
        if name in SEARCH_TIME:
            search[name] = value
        elif name in BUILD_TIME:
            build[name] = value
        else:
            sys.exit(f"unknown parameter '{name}'; build-time: {sorted(BUILD_TIME)}, query-time: {sorted(SEARCH_TIME)}")
    return build, search


def parse_sweep(spec):
    if not spec:
        return None, [None]
    name, _, values = spec.partition("=")
    name = name.strip()
    if name not in SEARCH_TIME or not values:
        sys.exit(f"--sweep must be a query-time parameter {sorted(SEARCH_TIME)} as name=v1,v2,...; got '{spec}'")
    return name, [v.strip() for v in values.split(",")]


def recall_at(results, truth, r):
    """Share of the true r nearest found among the first r results, averaged; NaN if truth is narrower than r."""
    if truth.shape[1] < r:
        return float("nan")
    total, counted = 0.0, 0
    for res, gt in zip(results, truth):
        want = set(int(x) for x in gt[:r] if x >= 0)
        if not want:
            continue
        total += len(want.intersection(int(x) for x in res[:r])) / len(want)
        counted += 1
    return total / counted if counted else float("nan")


def fmt(v, decimals):
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{decimals}f}"


class FaissRunner:
    def __init__(self, args, d, metric_ip, build):
        import faiss
        self.faiss = faiss
        self.k_index = args.index
        metric = faiss.METRIC_INNER_PRODUCT if metric_ip else faiss.METRIC_L2
        nlist = int(build.get("nlist", 0))
        flat = (lambda: faiss.IndexFlatIP(d)) if metric_ip else (lambda: faiss.IndexFlatL2(d))
        if args.index in ("IVF_FLAT", "IVF_SQ8", "IVF_PQ") and nlist <= 0:
            sys.exit(f"{args.index} needs nlist=... in --params (give the same value to both engines)")
        if args.index == "FLAT":
            self.index = flat()
        elif args.index == "IVF_FLAT":
            self.quantizer = flat()
            self.index = faiss.IndexIVFFlat(self.quantizer, d, nlist, metric)
        elif args.index == "IVF_SQ8":
            self.quantizer = flat()
            self.index = faiss.IndexIVFScalarQuantizer(self.quantizer, d, nlist, faiss.ScalarQuantizer.QT_8bit, metric)
        elif args.index == "IVF_PQ":
            m = int(build.get("m", 0))
            if m <= 0:
                sys.exit("IVF_PQ needs m=... in --params")
            self.quantizer = flat()
            self.index = faiss.IndexIVFPQ(self.quantizer, d, nlist, m, int(build.get("nbits", 8)), metric)
        elif args.index == "HNSW":
            self.index = faiss.IndexHNSWFlat(d, int(build.get("M", 16)), metric)
            self.index.hnsw.efConstruction = int(build.get("efConstruction", 200))

    def build(self, base, threads):
        self.faiss.omp_set_num_threads(threads)
        if not self.index.is_trained:
            self.index.train(base)
        self.index.add(base)

    def set_filter(self, allowed_mask):
        """Restricts searches to ids where allowed_mask is True (faiss IDSelectorBitmap)."""
        self.bitmap = np.packbits(allowed_mask, bitorder="little")  # kept alive: faiss holds a raw pointer
        self.selector = self.faiss.IDSelectorBitmap(len(allowed_mask), self.faiss.swig_ptr(self.bitmap))

    def set_search(self, p):
        if "nprobe" in p and hasattr(self.index, "nprobe"):
            self.index.nprobe = int(p["nprobe"])
        if "ef" in p and self.k_index == "HNSW":
            self.index.hnsw.efSearch = int(p["ef"])
        self.params = None
        if getattr(self, "selector", None) is not None:
            # With a selector, query-time knobs must travel in the SearchParameters object.
            if self.k_index == "HNSW":
                self.params = self.faiss.SearchParametersHNSW(sel=self.selector, efSearch=self.index.hnsw.efSearch)
            elif self.k_index == "FLAT":
                self.params = self.faiss.SearchParameters(sel=self.selector)
            else:
                self.params = self.faiss.SearchParametersIVF(sel=self.selector, nprobe=self.index.nprobe)

    def set_threads(self, n):
        self.faiss.omp_set_num_threads(n)

    def search(self, q, k, threads):
        if self.params is None:
            return self.index.search(q, k)[1]
        return self.index.search(q, k, params=self.params)[1]

    def byte_size(self):
        return int(self.faiss.serialize_index(self.index).size)


class HnswlibRunner:
    def __init__(self, args, d, metric_ip, build):
        import hnswlib
        if args.index != "HNSW":
            sys.exit("engine hnswlib only has --index HNSW")
        self.index = hnswlib.Index(space="ip" if metric_ip else "l2", dim=d)
        self.M = int(build.get("M", 16))
        self.ef_construction = int(build.get("efConstruction", 200))

    def build(self, base, threads):
        self.index.init_index(max_elements=base.shape[0], ef_construction=self.ef_construction, M=self.M)
        self.index.add_items(base, np.arange(base.shape[0]), num_threads=threads)

    def set_filter(self, allowed_mask):
        sys.exit("--filter-percent: hnswlib in this environment has no filtered search; use --engine faiss")

    def set_search(self, p):
        if "ef" in p:
            self.index.set_ef(int(p["ef"]))

    def set_threads(self, n):
        self.index.set_num_threads(n)

    def search(self, q, k, threads):
        return self.index.knn_query(q, k=k, num_threads=threads)[0]

    def byte_size(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "index.bin")
            self.index.save_index(path)
            return os.path.getsize(path)


def exact_ground_truth(base, queries, width, metric_ip, allowed_mask=None):
    """Exact top-width ids by brute force; with a mask, over the allowed rows only (padded with -1)."""
    import faiss
    ids = np.arange(base.shape[0]) if allowed_mask is None else np.flatnonzero(allowed_mask)
    index = faiss.IndexFlatIP(base.shape[1]) if metric_ip else faiss.IndexFlatL2(base.shape[1])
    index.add(np.ascontiguousarray(base[ids]))
    found = index.search(queries, width)[1]
    return np.where(found >= 0, ids[np.maximum(found, 0)], -1)


def random_allowed(n, percent, seed):
    """Exactly round(n * percent / 100) (at least one) allowed rows, as Java's bench ann picks (not the same rows)."""
    want = max(1, min(n, round(n * percent / 100.0)))
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(seed).choice(n, size=want, replace=False)] = True
    return mask


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=["faiss", "hnswlib"], default="faiss")
    ap.add_argument("--base", required=True)
    ap.add_argument("--query", required=True)
    ap.add_argument("--gt")
    ap.add_argument("--index", required=True, type=str.upper,
                    choices=["FLAT", "IVF_FLAT", "IVF_SQ8", "IVF_PQ", "HNSW"])
    ap.add_argument("--metric", default="L2", type=str.upper, choices=["L2", "IP", "COSINE"])
    ap.add_argument("--params", default="")
    ap.add_argument("--sweep")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--filter-percent", type=float, help="search with a random filter allowing this %% of the base")
    ap.add_argument("--seed", type=int, default=42, help="seed of the random filter")
    ap.add_argument("--batch", type=int, default=1, help="accepted for argument parity with Java; not used")
    ap.add_argument("--queries", type=int, default=0, help="use only the first N queries")
    ap.add_argument("--warmup", type=int, default=1000, help="queries run before each timed run")
    ap.add_argument("--warmup-seconds", type=float, default=2.0, help="repeat the warm-up at least this long")
    ap.add_argument("--csv")
    args = ap.parse_args()

    build, search = parse_params(args.params)
    sweep_name, sweep_values = parse_sweep(args.sweep)
    for ignored in ("quick", "rerank", "exact"):
        if ignored in search or sweep_name == ignored:
            print(f"# note: '{ignored}' has no {args.engine} equivalent and is ignored")

    t0 = time.perf_counter()
    base = read_vecs(args.base, np.float32)
    queries = read_vecs(args.query, np.float32, args.queries)
    metric_ip = args.metric in ("IP", "COSINE")
    if args.metric == "COSINE":
        base = base / np.maximum(np.linalg.norm(base, axis=1, keepdims=True), 1e-30)
        queries = queries / np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-30)
    base = np.ascontiguousarray(base, dtype=np.float32)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    print(f"# base {args.base}: {base.shape[0]} x {base.shape[1]}, queries {args.query}: {queries.shape[0]} "
          f"(read in {time.perf_counter() - t0:.1f} s)")
    allowed = None
    if args.filter_percent is not None:
        if not 0 < args.filter_percent <= 100:
            sys.exit(f"--filter-percent must be in (0, 100], got {args.filter_percent}")
        allowed = random_allowed(base.shape[0], args.filter_percent, args.seed)
    if args.gt and allowed is None:
        truth = read_vecs(args.gt, np.int32, args.queries)
        print(f"# ground truth {args.gt}: {truth.shape[1]} neighbours per query")
    else:
        t1 = time.perf_counter()
        truth = exact_ground_truth(base, queries, min(max(args.k, 100), base.shape[0]), metric_ip, allowed)
        where = "" if allowed is None else f" over the allowed set ({int(allowed.sum())} rows)"
        print(f"# ground truth computed exactly by brute force (faiss IndexFlat){where}: {truth.shape[1]} neighbours "
              f"per query, {time.perf_counter() - t1:.1f} s" + ("; --gt ignored because of --filter-percent" if args.gt else ""))

    runner = (FaissRunner if args.engine == "faiss" else HnswlibRunner)(args, base.shape[1], metric_ip, build)
    t1 = time.perf_counter()
    runner.build(base, args.threads)
    build_s = time.perf_counter() - t1
    index_bytes = runner.byte_size()
    if allowed is not None:
        runner.set_filter(allowed)
    print(f"# {args.engine}:{args.index} {args.metric} params=[{args.params}] build {build_s:.3f} s, "
          f"index {index_bytes} bytes; k {args.k}, threads {args.threads}")
    print(f"# qps_all: all {queries.shape[0]} queries in one call with {args.threads} threads "
          f"(how {args.engine} is normally used; vecgate's qps_all uses threads taking --batch queries per call)")
    print(f"{'sweep':<16} {'recall@1':>9} {'recall@10':>9} {'recall@100':>10} {'qps_1t':>10} {'qps_all':>10} "
          f"{'p50_ms':>9} {'p99_ms':>9}")

    nq, k = queries.shape[0], args.k
    warm = min(args.warmup, nq)
    rows = []
    for value in sweep_values:
        p = dict(search)
        if sweep_name:
            p[sweep_name] = value
        runner.set_search(p)
        if warm:
            runner.set_threads(args.threads)
            warm_start = time.perf_counter()
            while True:  # same rule as the Java command: one pass, repeated until --warmup-seconds
                runner.search(queries[:warm], k, args.threads)
                if time.perf_counter() - warm_start >= args.warmup_seconds:
                    break

        runner.set_threads(1)
        lat = np.empty(nq)
        results = np.empty((nq, k), dtype=np.int64)
        start = time.perf_counter()
        for i in range(nq):
            q0 = time.perf_counter()
            results[i] = runner.search(queries[i:i + 1], k, 1)[0]
            lat[i] = time.perf_counter() - q0
        qps1 = nq / (time.perf_counter() - start)

        runner.set_threads(args.threads)
        start = time.perf_counter()
        runner.search(queries, k, args.threads)
        qps_all = nq / (time.perf_counter() - start)

        recall = []
        for r in RECALL_AT:
            if truth.shape[1] < r:
                recall.append(float("nan"))
            else:
                res = results if r <= k else runner.search(queries, r, args.threads)
                recall.append(recall_at(res, truth, r))
        lat_sorted = np.sort(lat)
        pct = lambda q: lat_sorted[max(0, min(nq - 1, math.ceil(q * nq) - 1))] * 1e3  # nearest rank, as in Java
        label = f"{sweep_name}={value}" if sweep_name else ""
        row = [f"{args.engine}:{args.index}", args.params, label, fmt(recall[0], 4), fmt(recall[1], 4),
               fmt(recall[2], 4), fmt(qps1, 1), fmt(qps_all, 1), fmt(pct(0.50), 3), fmt(pct(0.99), 3),
               fmt(build_s, 3), str(index_bytes)]
        rows.append(row)
        print(f"{label or '(none)':<16} {row[3] or '-':>9} {row[4] or '-':>9} {row[5] or '-':>10} {row[6]:>10} "
              f"{row[7]:>10} {row[8]:>9} {row[9]:>9}", flush=True)

    if args.csv:
        os.makedirs(os.path.dirname(os.path.abspath(args.csv)), exist_ok=True)
        with open(args.csv, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADER)
            w.writerows(rows)
        print(f"# wrote {args.csv}")


if __name__ == "__main__":
    main()
