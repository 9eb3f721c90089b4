package io.vecgate.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.files.JsonFileFormat;
import java.io.IOException;
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

  /** Writes {@code version.json} of a version directory ({@link JsonFileFormat#VERSION_STATE}). */
  public void write(Path versionDir) throws IOException {
    JsonFileFormat.write(versionDir.resolve(DataLayout.VERSION_STATE), JsonFileFormat.VERSION_STATE,
        MAPPER.writeValueAsBytes(this));
  }

  /**
   * Reads and checks {@code version.json} of a version directory (any version
   * {@link JsonFileFormat} reads; the body is the same in all).
   *
   * @throws CorruptFileException naming the file when it fails its check or is not a version state
   */
  public static VersionState read(Path versionDir) throws IOException {
    return JsonFileFormat.read(versionDir.resolve(DataLayout.VERSION_STATE), JsonFileFormat.VERSION_STATE,
        (version, body) -> MAPPER.treeToValue(body, VersionState.class));
  }

  /** The segment files of a version with their partition, as the manifest lists them. */
  public record SegmentRef(int partition, String file) {}

  public static List<SegmentRef> segments(Manifest m) {
    return m.partitions().stream()
        .flatMap(p -> p.segments().stream().map(s -> new SegmentRef(p.id(), s.file())))
        .toList();
  }
}
