package io.vecgate.common.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgate.engine.segment.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a published version holds beside its manifest ({@code version.json}, written before the
 * manifest): the deleted ordinals of each segment (tombstones of deletes and of upserts that
 * replaced a document), the last write-ahead-log sequence number the version contains, and the
 * next internal document number. Readers need {@code deleted}; the writer needs all of it to
 * recover.
 *
 * @param lastWalSeq every WAL record with a sequence number up to this one is in the version
 * @param nextDocSeq the next internal document number (segment ids are these numbers)
 * @param deleted segment file name to its deleted ordinals, ascending; segments without deletes are absent
 */
public record VersionState(long lastWalSeq, long nextDocSeq, Map<String, int[]> deleted) {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public VersionState {
    deleted = Map.copyOf(deleted);
  }

  public int[] deletedOf(String segmentFile) {
    return deleted.getOrDefault(segmentFile, new int[0]);
  }

  public void write(Path versionDir) throws IOException {
    byte[] json = MAPPER.writeValueAsBytes(this);
    AtomicFiles.write(versionDir.resolve(DataLayout.VERSION_STATE), ch -> {
      ByteBuffer b = ByteBuffer.wrap(json);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    });
  }

  /** Reads {@code version.json} of a version directory. */
  public static VersionState read(Path versionDir) throws IOException {
    return MAPPER.readValue(Files.readAllBytes(versionDir.resolve(DataLayout.VERSION_STATE)), VersionState.class);
  }

  /** The segment files of a version with their partition, as the manifest lists them. */
  public record SegmentRef(int partition, String file) {}

  public static List<SegmentRef> segments(io.vecgate.engine.manifest.Manifest m) {
    return m.partitions().stream()
        .flatMap(p -> p.segments().stream().map(s -> new SegmentRef(p.id(), s.file())))
        .toList();
  }
}
