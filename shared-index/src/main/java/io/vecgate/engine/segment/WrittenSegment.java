package io.vecgate.engine.segment;

import java.nio.file.Path;

/**
 * A segment file as published: what a manifest records about it.
 *
 * @param path the final file name
 * @param sizeBytes length of the file
 * @param crc32c CRC32C of the whole file, unsigned
 * @param docCount number of documents
 */
public record WrittenSegment(Path path, long sizeBytes, long crc32c, long docCount) {}
