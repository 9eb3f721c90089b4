package io.vecgate.bench;

/**
 * One line of benchmark results: one index configuration at one sweep value. Recall values
 * that cannot be computed (ground truth too narrow) are {@code NaN}.
 *
 * @param index      engine and index type, e.g. {@code vecgate:IVF_SQ8} or {@code faiss:HNSW}
 * @param params     the {@code --params} of the run
 * @param sweep      the sweep value, e.g. {@code nprobe=16}; empty without a sweep
 * @param qps1       queries per second, one thread, one query per call
 * @param qpsAll     queries per second with all threads
 * @param p50Ms      median single-thread latency in milliseconds
 * @param p99Ms      99th percentile single-thread latency in milliseconds
 * @param buildS     index build time in seconds
 * @param indexBytes index size in bytes
 */
public record ResultRow(String index, String params, String sweep, double recall1, double recall10,
    double recall100, double qps1, double qpsAll, double p50Ms, double p99Ms, double buildS, long indexBytes) {}
