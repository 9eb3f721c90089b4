/**
 * The top-K reduce: per-partition answers of one query reduced to the global top k,
 * deterministically ({@link io.vecgate.engine.topk.TopKReduce}), and the ranking it uses.
 */
package io.vecgate.engine.topk;
