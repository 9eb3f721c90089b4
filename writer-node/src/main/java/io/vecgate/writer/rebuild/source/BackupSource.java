package io.vecgate.writer.rebuild.source;

import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.manifest.Manifest;
import io.vecgate.engine.segment.SegmentField;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.SpaceSchema;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.backup.Backup;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live documents of a {@link Backup}, read out of its segment files (tombstoned ordinals
 * skipped), so that a rebuild restores it as a new version of a space. The backup is verified
 * whole, every file against its checksum, when it is counted: the rebuild's pre-check fails on a
 * damaged backup, naming the file, before anything is created.
 */
final class BackupSource extends FileSource {

  private final SpaceSchema schema;
  private Backup.Contents contents;
  private List<Manifest.SegmentFile> files;
  private int fileIndex;
  private SegmentReader reader;
  private BitSet deleted;
  private int ordinal;

  BackupSource(Vertx vertx, SpaceSchema schema, Path dir) {
    super(vertx, dir);
    this.schema = schema;
  }

  @Override
  long countBlocking() {
    // Verified once per source: the rebuild counts (its pre-check), then streams.
    Backup.Contents c = verified();
    for (FieldSpec f : schema.fields()) {
      Manifest.Field m = c.manifest().schema().fields().stream().filter(x -> x.name().equals(f.name())).findFirst()
          .orElseThrow(() -> ApiException.badRequest("source.path: the backup " + path + " has no field '" + f.name()
              + "' of the space to restore into (it has " + c.manifest().schema().fields().stream()
              .map(Manifest.Field::name).toList() + ")"));
      if (f.isVector() && m.dimension() != f.dimension()) {
        throw ApiException.badRequest("source.path: field '" + f.name() + "' of the backup " + path + " has dimension "
            + m.dimension() + ", the space " + f.dimension());
      }
    }
    long deletedCount = c.state().deleted().values().stream().mapToLong(a -> a.length).sum();
    return c.manifest().totalCount() - deletedCount;
  }

  /** The backup read and every file checked against its checksum, the first time it is asked for. */
  private synchronized Backup.Contents verified() {
    if (contents == null) {
      contents = Backup.read(path);
    }
    return contents;
  }

  @Override
  void openBlocking() {
    verified();
    files = contents.manifest().partitions().stream().flatMap(p -> p.segments().stream()).toList();
  }

  @Override
  List<Document> readBlocking(int max) throws IOException {
    List<Document> out = new ArrayList<>(max);
    while (out.size() < max) {
      if (reader == null || ordinal >= reader.size()) {
        if (!nextFile()) {
          break;
        }
        continue;
      }
      if (!deleted.get(ordinal)) {
        out.add(document(ordinal));
      }
      ordinal++;
    }
    return out;
  }

  private boolean nextFile() throws IOException {
    closeReader();
    if (fileIndex >= files.size()) {
      return false;
    }
    Manifest.SegmentFile f = files.get(fileIndex++);
    reader = SegmentReader.open(path.resolve(f.file()));
    deleted = new BitSet();
    for (int o : contents.state().deletedOf(f.file())) {
      deleted.set(o);
    }
    ordinal = 0;
    return true;
  }

  private Document document(int ord) {
    String id = ((ColumnReader.KeywordColumn) reader.column(DataLayout.ID_COLUMN)).get(ord);
    float[] vector = new float[schema.vectorLength()];
    Map<String, Object> scalars = new HashMap<>();
    for (FieldSpec f : schema.fields()) {
      if (f.isVector()) {
        SegmentField field = reader.field(f.name());
        field.copyVector(ord, vector, schema.vectorOffset(f));
      } else {
        Object v = reader.column(f.name()).value(ord);
        if (v != null) {
          scalars.put(f.name(), v);
        }
      }
    }
    return new Document(id, vector, scalars);
  }

  private void closeReader() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  void closeBlocking() {
    closeReader();
  }
}
