package io.vecgate.engine.segment;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.vector.Metric;

/**
 * The fixed header fields of a segment file (see {@link SegmentFormat} for their layout).
 *
 * @param formatVersion the version the file was written in
 * @param dimension dimension of the vectors
 * @param metric the metric of the index
 * @param indexType the index family
 * @param docCount number of documents (ordinals {@code [0, docCount)})
 * @param sectionCount number of sections in the table
 * @param fileLength length of the file in bytes as written
 */
public record SegmentHeader(int formatVersion, int dimension, Metric metric, IndexType indexType,
                            long docCount, int sectionCount, long fileLength) {}
