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
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open segment file: the whole file mapped read-only into its own shared arena, checked in
 * full on {@link #open} (see {@link SegmentLayout}), with the index, ids and columns served from
 * the mapping without copying. Safe for concurrent reads. {@link #close()} unmaps the file;
 * any read afterwards (through this reader, its index or its columns) throws
 * {@link IllegalStateException} instead of touching unmapped memory.
 */
public final class SegmentReader implements AutoCloseable {

  /** The name of the ids pseudo-column returned by {@link #ids()}. */
  public static final String ID_COLUMN = "_id";

  private final Path path;
  private final Arena arena;
  private final SegmentHeader header;
  private final IndexParts parts;
  private final VectorIndex index;
  private final ColumnReader.LongColumn ids;
  private final Map<String, ColumnReader> columns;

  private SegmentReader(Path path, Arena arena, SegmentLayout layout) throws CorruptSegmentException {
    this.path = path;
    this.arena = arena;
    this.header = layout.header();
    int n = (int) header.docCount();
    Map<PartKind, MemorySegment> byKind = new EnumMap<>(PartKind.class);
    layout.sections().forEach((kind, slice) -> {
      PartKind part = kind < SegmentFormat.IDS ? PartKind.byId(kind) : null;
      if (part != null) {
        byKind.put(part, slice);
      }
    });
    this.parts = new IndexParts(byKind);
    this.ids = new ColumnReader.LongColumn(new ColumnDescriptor(ID_COLUMN, ColumnType.LONG),
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
    IndexParams params = IndexParams.decode(parts.require(PartKind.PARAMS).toArray(ValueLayout.JAVA_BYTE));
    try {
      this.index = Indexes.open(header.indexType(), header.metric(), header.dimension(), n, params, parts);
    } catch (IllegalArgumentException e) {
      throw new CorruptSegmentException(path, "index", header.indexType() + " parts rejected: " + e.getMessage(), e);
    }
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

  /** The index over the mapped sections. */
  public VectorIndex index() {
    return index;
  }

  /** The mapped index parts (every {@link PartKind} section of the file). */
  public IndexParts parts() {
    return parts;
  }

  /** The id of {@code ordinal}. */
  public long id(int ordinal) {
    return ids.get(ordinal);
  }

  /** The ids by ordinal, as a LONG column named {@link #ID_COLUMN}. */
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
