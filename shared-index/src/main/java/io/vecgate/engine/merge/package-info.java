/** Merging per-partition answers into the global top k, deterministically. */
package io.vecgate.engine.merge;
