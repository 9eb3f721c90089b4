package io.vecgate.engine.segment;

import io.vecgate.engine.column.ColumnCodec;
import io.vecgate.engine.column.ColumnDescriptor;
import io.vecgate.engine.column.ColumnReader;
import io.vecgate.engine.column.ColumnType;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.Indexes;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.index.VectorIndex;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open segment file: the whole file mapped read-only into its own shared arena, checked in
 * full on {@link #open} (see {@link SegmentLayout}), with the vector fields' indexes, ids and
 * columns served from the mapping without copying. Safe for concurrent reads. {@link #close()}
 * unmaps the file; any read afterwards (through this reader, its fields, indexes or columns)
 * throws {@link IllegalStateException} instead of touching unmapped memory.
 */
public final class SegmentReader implements AutoCloseable {

  /**
   * The name of the ids pseudo-column returned by {@link #ids()} (the IDS section; the services keep
   * each document's {@code seq} there). Not {@code _id}: the services use that word for the user's
   * string id, a keyword column of their own.
   */
  public static final String IDS_COLUMN = "_ids";

  private final Path path;
  private final Arena arena;
  private final SegmentHeader header;
  private final List<SegmentField> fields;
  private final ColumnReader.LongColumn ids;
  private final Map<String, ColumnReader> columns;

  private SegmentReader(Path path, Arena arena, SegmentLayout layout) throws CorruptSegmentException {
    this.path = path;
    this.arena = arena;
    this.header = layout.header();
    int n = (int) header.docCount();
    this.ids = new ColumnReader.LongColumn(new ColumnDescriptor(IDS_COLUMN, ColumnType.LONG),
        layout.sections().get(SegmentFormat.IDS), n);
    Map<String, ColumnReader> cols = new LinkedHashMap<>();
    List<ColumnDescriptor> descriptors = layout.columns();
    for (int i = 0; i < descriptors.size(); i++) {
      ColumnDescriptor d = descriptors.get(i);
      try {
        cols.put(d.name(), ColumnCodec.open(d, layout.sections().get(SegmentFormat.COLUMN_BASE + i), n));
      } catch (IllegalArgumentException e) {
        throw new CorruptSegmentException(path, "COLUMN " + d.name(), e.getMessage(), e);
      }
    }
    this.columns = Collections.unmodifiableMap(cols);
    List<SegmentField> vectorFields = new ArrayList<>();
    for (int f = 0; f < layout.vectorFields().size(); f++) {
      vectorFields.add(field(path, layout, f, n));
    }
    this.fields = List.copyOf(vectorFields);
  }

  private static SegmentField field(Path path, SegmentLayout layout, int f, int n) throws CorruptSegmentException {
    SegmentLayout.VectorFieldEntry e = layout.vectorFields().get(f);
    Map<PartKind, MemorySegment> byKind = new EnumMap<>(PartKind.class);
    for (PartKind k : PartKind.values()) {
      MemorySegment slice = layout.part(f, k);
      if (slice != null) {
        byKind.put(k, slice);
      }
    }
    IndexParts parts = new IndexParts(byKind);
    IndexParams params = IndexParams.decode(parts.require(PartKind.PARAMS).toArray(ValueLayout.JAVA_BYTE));
    VectorIndex index;
    try {
      index = Indexes.open(e.indexType(), e.metric(), e.dimension(), n, params, parts);
    } catch (IllegalArgumentException ex) {
      String where = e.name().isEmpty() ? "index" : "FIELD " + e.name();
      throw new CorruptSegmentException(path, where, e.indexType() + " parts rejected: " + ex.getMessage(), ex);
    }
    return new SegmentField(e.name(), index, parts, layout.fieldSection(f, SegmentFormat.FIELD_ORDER),
        layout.fieldSection(f, SegmentFormat.FIELD_POSITIONS));
  }

  /**
   * Maps and checks {@code file}.
   *
   * @throws CorruptSegmentException when anything in the file is wrong, naming the file and the section
   * @throws UnsupportedOperationException when this build cannot open the file's index type yet
   */
  public static SegmentReader open(Path file) throws IOException {
    Arena arena = Arena.ofShared();
    try {
      MemorySegment whole;
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = ch.size();
        if (size < SegmentFormat.HEADER_BYTES) {
          throw new CorruptSegmentException(file, null, "truncated: file is " + size
              + " bytes, the header alone needs " + SegmentFormat.HEADER_BYTES);
        }
        whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      }
      return new SegmentReader(file, arena, SegmentLayout.parse(file, whole));
    } catch (Throwable t) {
      // A half-opened reader must not leak its mapping.
      arena.close();
      throw t;
    }
  }

  public Path path() {
    return path;
  }

  /** Length of the file in bytes. */
  public long fileSize() {
    return header.fileLength();
  }

  public SegmentHeader header() {
    return header;
  }

  /** Number of documents (ordinals {@code [0, size)}). */
  public int size() {
    return ids.size();
  }

  /** The index of vector field 0, whose ordinals are the segment's (see {@link #fields()}). */
  public VectorIndex index() {
    return fields.getFirst().index();
  }

  /** The mapped index parts of vector field 0 (every {@link PartKind} section it has in the file). */
  public IndexParts parts() {
    return fields.getFirst().parts();
  }

  /** The vector fields, in the order they were written (field 0 first). */
  public List<SegmentField> fields() {
    return fields;
  }

  /**
   * The vector field called {@code name}. A version-1 file holds one unnamed field, which
   * answers to any name (the file predates named fields; its one field is the space's only one).
   *
   * @throws IllegalArgumentException naming the fields that exist when there is none of that name
   */
  public SegmentField field(String name) {
    if (header.formatVersion() == SegmentFormat.VERSION_1) {
      return fields.getFirst();
    }
    for (SegmentField f : fields) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(path.getFileName() + " has no vector field '" + name + "'; fields: "
        + fields.stream().map(SegmentField::name).toList());
  }

  /** Every mapped section holding index data of any vector field (parts and ordinal maps), to touch their pages. */
  public List<MemorySegment> indexSections() {
    List<MemorySegment> out = new ArrayList<>();
    for (SegmentField f : fields) {
      out.addAll(f.parts().asMap().values());
      out.addAll(f.mapSections());
    }
    return out;
  }

  /** The id of {@code ordinal} (the services' {@code seq} of the document). */
  public long id(int ordinal) {
    return ids.get(ordinal);
  }

  /** The ids by ordinal, as a LONG column named {@link #IDS_COLUMN}. */
  public ColumnReader.LongColumn ids() {
    return ids;
  }

  /** Scalar columns by name, in the order they were written. */
  public Map<String, ColumnReader> columns() {
    return columns;
  }

  /**
   * The column called {@code name}.
   *
   * @throws IllegalArgumentException naming the columns that exist when there is none of that name
   */
  public ColumnReader column(String name) {
    ColumnReader c = columns.get(name);
    if (c == null) {
      throw new IllegalArgumentException(path.getFileName() + " has no column '" + name + "'; columns: " + columns.keySet());
    }
    return c;
  }

  /** Unmaps the file. Searches still running on other threads must have finished. */
  @Override
  public void close() {
    arena.close();
  }

  @Override
  public String toString() {
    return "SegmentReader[" + path.getFileName() + ", " + header + "]";
  }
}
