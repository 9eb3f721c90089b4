/**
 * Segment files: the immutable, checksummed, mappable unit of storage. {@link
 * io.vecgate.engine.segment.SegmentFormat} documents the byte layout; {@link
 * io.vecgate.engine.segment.SegmentWriter} writes a file from built indexes (one per vector
 * field), ids and columns; {@link io.vecgate.engine.segment.SegmentReader} maps and checks one
 * and serves each vector field as a {@link io.vecgate.engine.segment.SegmentField}. Index algorithms know
 * nothing of this package: they hand over and take back {@code IndexParts}.
 */
package io.vecgate.engine.segment;
