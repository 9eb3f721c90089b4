package io.vecgate.engine.segment;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.vector.Metric;
import java.util.EnumSet;
import java.util.Set;

/**
 * The segment file format: one immutable file holding the vector indexes, the ids and the scalar
 * columns of a set of documents, written by {@link SegmentWriter} and mapped by {@link SegmentReader}.
 *
 * <h2>Byte layout, format version 2</h2>
 * All integers are little-endian; offsets and lengths are int64, so no field limits a file or a
 * section to 2 GiB. CRC32C values are stored as uint32.
 *
 * <p>A segment holds one or more named <em>vector fields</em>, each with its own index. The
 * documents have one numbering, the segment <em>ordinals</em> {@code 0..N-1}, shared by the ids,
 * the columns and vector field 0 (whose index decides the order: an IVF index groups its lists).
 * The index of another field may order its vectors differently; it then carries the map between
 * its own ordinals and the segment's (sections ORDER and POSITIONS below).
 *
 * <h3>Header: 64 bytes at offset 0</h3>
 * <pre>
 * offset type    field
 *  0     uint32  magic, {@link #MAGIC} (the bytes "VGSG")
 *  4     int32   format version ({@link #VERSION_2})
 *  8     int32   dimension of vector field 0 (>= 1)
 * 12     int32   metric id of vector field 0: 1 L2, 2 INNER_PRODUCT, 3 COSINE ({@link #metricId})
 * 16     int32   index type id of vector field 0: 1 FLAT, 2 IVF_FLAT, 3 IVF_SQ8, 4 IVF_PQ, 5 HNSW ({@link #indexTypeId})
 * 20     int32   section count S
 * 24     int64   document count N (ordinals 0..N-1; at most 2^31-1)
 * 32     int64   file length in bytes (a shorter file is truncated)
 * 40     uint32  CRC32C of the section table
 * 44     16 B    reserved, zero
 * 60     uint32  CRC32C of header bytes [0, 60)
 * </pre>
 *
 * <h3>Section table: S entries of 32 bytes at offset 64</h3>
 * <pre>
 * offset type    field
 *  0     int32   section kind id (below)
 *  4     int32   reserved, zero
 *  8     int64   offset of the section in the file, a multiple of 64
 * 16     int64   length of the section in bytes (no padding included)
 * 24     uint32  CRC32C of the section's bytes
 * 28     int32   reserved, zero
 * </pre>
 *
 * <h3>Sections</h3>
 * Each section starts at a multiple of {@link #ALIGNMENT} (64) bytes, so float, int and long
 * arrays can be mapped aligned. Sections are packed in offset order: the first starts at
 * {@code align(64 + 32 S)}, each next one at {@code align(end of the previous)}, the gaps are
 * zero bytes (the reader checks them, so every byte of a file is covered by a checksum or
 * known to be zero), and the file ends right after the last section. Each kind appears at
 * most once. The writer orders them: VECTOR_FIELDS, each field's sections (PARAMS, the other
 * parts by id, ORDER, POSITIONS), IDS, COLUMNS, columns. Kind ids:
 * <ul>
 *   <li>{@link #VECTOR_FIELDS} (102): the vector field directory. int32 field count F (1 to
 *       {@link #MAX_VECTOR_FIELDS}), then per field: int32 dimension (>= 1), int32 metric id,
 *       int32 index type id, int32 flags (bit 0 {@link #FIELD_REMAPPED}: the field's index orders
 *       its vectors differently from the segment; other bits zero), int32 name length L (1 to
 *       {@link #MAX_FIELD_NAME_BYTES}), L bytes UTF-8 name. Names are distinct. Field 0 is never
 *       remapped and matches the header's dimension, metric and index type. Unaligned, unpadded.</li>
 *   <li>{@link #fieldKind fieldKind(f, p)} = {@link #FIELD_BASE} + f x {@link #FIELD_STRIDE} + p,
 *       for field f in 0..F-1, holds field f's section p:
 *     <ul>
 *       <li>p in 1..99: index part {@link PartKind} with id p, content as {@link PartKind}
 *           documents, in the order of the field's own index. {@link PartKind#PARAMS} is always
 *           present; the parts each index type needs are {@link #requiredParts}. VECTORS holds
 *           exactly N x the field's dimension float32.</li>
 *       <li>p = {@link #FIELD_ORDER} (100), only for a remapped field: N int32, the segment
 *           ordinal of each of the field index's ordinals (a permutation of 0..N-1).</li>
 *       <li>p = {@link #FIELD_POSITIONS} (101), only for a remapped field: N int32, the field
 *           index's ordinal of each segment ordinal (the inverse of ORDER).</li>
 *     </ul></li>
 *   <li>{@link #IDS} (100): N int64, the id of each ordinal (the services write the document's
 *       {@code seq}).</li>
 *   <li>{@link #COLUMN_DIRECTORY} (101): int32 column count C, then per column: int32 type id
 *       (1 INT, 2 LONG, 3 FLOAT, 4 DOUBLE, 5 KEYWORD), int32 name length L, L bytes UTF-8 name.
 *       Unaligned, unpadded.</li>
 *   <li>{@link #COLUMN_BASE} + i (1000 + i), for i in 0..C-1: the values of column i in ordinal
 *       order. INT: N int32; LONG: N int64; FLOAT: N float32; DOUBLE: N float64; KEYWORD: N+1
 *       int64 offsets (first 0, non-decreasing, last = byte count) then the UTF-8 bytes; value
 *       j is bytes [off[j], off[j+1]). There is no null: a missing value is written as 0 or the
 *       empty string.</li>
 * </ul>
 *
 * <h2>Format version 1</h2>
 * As version 2 with one unnamed vector field, whose dimension, metric and index type are the
 * header's: no VECTOR_FIELDS section and no field sections; the index parts are sections of
 * kind {@link PartKind#id()} (1..99) themselves. The reader presents that field under any name
 * ({@link SegmentReader#field}).
 *
 * <h2>Version history</h2>
 * <ul>
 *   <li>1 (vecgate 0.1): first version, one vector field. Fixture:
 *       {@code src/test/resources/segment/v1-flat.seg}.</li>
 *   <li>2 (vecgate 0.2): several named vector fields, each with its own index (VECTOR_FIELDS and
 *       the field sections); the index parts of version 1's kinds 1..99 move under their field.
 *       Fixture: {@code src/test/resources/segment/v2-two-fields.seg}.</li>
 * </ul>
 * A change to the layout adds a version: the reader keeps reading every version from
 * {@link #MIN_VERSION} to {@link #CURRENT_VERSION}, and each keeps its fixture and test.
 */
public final class SegmentFormat {

  /** "VGSG" as the first four bytes of the file, read as a little-endian int. */
  public static final int MAGIC = 0x47534756;
  public static final int VERSION_1 = 1;
  public static final int VERSION_2 = 2;
  /** The version {@link SegmentWriter} writes. */
  public static final int CURRENT_VERSION = VERSION_2;
  /** The oldest version {@link SegmentReader} still reads. */
  public static final int MIN_VERSION = VERSION_1;

  public static final int HEADER_BYTES = 64;
  /** Bytes of the header covered by the header CRC (all but the CRC itself). */
  public static final int HEADER_CRC_OFFSET = 60;
  public static final int SECTION_ENTRY_BYTES = 32;
  public static final int ALIGNMENT = 64;

  public static final int IDS = 100;
  public static final int COLUMN_DIRECTORY = 101;
  public static final int VECTOR_FIELDS = 102;
  public static final int COLUMN_BASE = 1000;
  /** Upper bound on columns, so a corrupt count cannot make the reader loop for ever. */
  public static final int MAX_COLUMNS = 1 << 16;

  /** First kind id of the vector fields' sections (above every column kind). */
  public static final int FIELD_BASE = 1 << 20;
  /** Kind ids per vector field: field f's sections are {@code FIELD_BASE + f * FIELD_STRIDE + p}. */
  public static final int FIELD_STRIDE = 256;
  /** Field section holding the segment ordinal of each of the field index's ordinals. */
  public static final int FIELD_ORDER = 100;
  /** Field section holding the field index's ordinal of each segment ordinal. */
  public static final int FIELD_POSITIONS = 101;
  /** Upper bound on vector fields per segment. */
  public static final int MAX_VECTOR_FIELDS = 64;
  public static final int MAX_FIELD_NAME_BYTES = 1024;
  /** VECTOR_FIELDS flag: the field's index orders its vectors differently from the segment. */
  public static final int FIELD_REMAPPED = 1;
  /** The name {@link SegmentWriter#write(java.nio.file.Path, io.vecgate.engine.index.BuiltIndex, long[], java.util.List)} gives its one field. */
  public static final String DEFAULT_FIELD = "vector";

  private SegmentFormat() {}

  /** {@code offset} rounded up to the next multiple of {@link #ALIGNMENT}. */
  public static long align(long offset) {
    return (offset + ALIGNMENT - 1) & -ALIGNMENT;
  }

  public static int metricId(Metric metric) {
    return switch (metric) {
      case L2 -> 1;
      case INNER_PRODUCT -> 2;
      case COSINE -> 3;
    };
  }

  /** The metric of an id, or {@code null} for an unknown id. */
  public static Metric metricById(int id) {
    return switch (id) {
      case 1 -> Metric.L2;
      case 2 -> Metric.INNER_PRODUCT;
      case 3 -> Metric.COSINE;
      default -> null;
    };
  }

  public static int indexTypeId(IndexType type) {
    return switch (type) {
      case FLAT -> 1;
      case IVF_FLAT -> 2;
      case IVF_SQ8 -> 3;
      case IVF_PQ -> 4;
      case HNSW -> 5;
    };
  }

  /** The index type of an id, or {@code null} for an unknown id. */
  public static IndexType indexTypeById(int id) {
    return switch (id) {
      case 1 -> IndexType.FLAT;
      case 2 -> IndexType.IVF_FLAT;
      case 3 -> IndexType.IVF_SQ8;
      case 4 -> IndexType.IVF_PQ;
      case 5 -> IndexType.HNSW;
      default -> null;
    };
  }

  /**
   * The parts a file of this index type must hold besides {@link PartKind#PARAMS}. This is the
   * minimum the reader insists on; an index may store more (any {@link PartKind}).
   */
  public static Set<PartKind> requiredParts(IndexType type) {
    return switch (type) {
      case FLAT -> EnumSet.of(PartKind.VECTORS);
      case IVF_FLAT -> EnumSet.of(PartKind.VECTORS, PartKind.IVF_CENTROIDS, PartKind.IVF_OFFSETS);
      case IVF_SQ8 -> EnumSet.of(PartKind.VECTORS, PartKind.IVF_CENTROIDS, PartKind.IVF_OFFSETS,
          PartKind.SQ8_RANGE, PartKind.SQ8_CODES);
      case IVF_PQ -> EnumSet.of(PartKind.VECTORS, PartKind.IVF_CENTROIDS, PartKind.IVF_OFFSETS,
          PartKind.PQ_CODEBOOKS, PartKind.PQ_CODES);
      case HNSW -> EnumSet.of(PartKind.VECTORS, PartKind.HNSW_LEVELS, PartKind.HNSW_LEVEL0,
          PartKind.HNSW_UPPER_INDEX, PartKind.HNSW_UPPER);
    };
  }

  /** The kind id of section {@code part} (a {@link PartKind} id, {@link #FIELD_ORDER} or {@link #FIELD_POSITIONS}) of vector field {@code field}. */
  public static int fieldKind(int field, int part) {
    return FIELD_BASE + field * FIELD_STRIDE + part;
  }

  /** The kind id of index part {@code part} of vector field {@code field} in a file of {@code version}. */
  static int partKind(int version, int field, PartKind part) {
    return version == VERSION_1 ? part.id() : fieldKind(field, part.id());
  }

  /**
   * Whether {@code kind} is a section id that {@code version} defines (column and field ids need
   * their directories to be sure).
   */
  static boolean isKnownKind(int version, int kind) {
    if (kind == IDS || kind == COLUMN_DIRECTORY || (kind >= COLUMN_BASE && kind < COLUMN_BASE + MAX_COLUMNS)) {
      return true;
    }
    if (version == VERSION_1) {
      return kind > 0 && kind < IDS && PartKind.byId(kind) != null;
    }
    if (kind == VECTOR_FIELDS) {
      return true;
    }
    if (kind < FIELD_BASE || kind >= FIELD_BASE + MAX_VECTOR_FIELDS * FIELD_STRIDE) {
      return false;
    }
    int part = (kind - FIELD_BASE) % FIELD_STRIDE;
    return part == FIELD_ORDER || part == FIELD_POSITIONS || (part > 0 && part < 100 && PartKind.byId(part) != null);
  }

  /** The vector field of a field section kind, or -1 for other kinds. */
  static int fieldOf(int kind) {
    return kind >= FIELD_BASE ? (kind - FIELD_BASE) / FIELD_STRIDE : -1;
  }

  /** A field section's part name: the part kind, ORDER or POSITIONS. */
  static String partName(int part) {
    if (part == FIELD_ORDER) {
      return "ORDER";
    }
    if (part == FIELD_POSITIONS) {
      return "POSITIONS";
    }
    PartKind k = part > 0 && part < 100 ? PartKind.byId(part) : null;
    return k != null ? k.name() : "part " + part;
  }

  /**
   * A section's name for messages: the part kind (version 1), IDS, COLUMNS, COLUMN #i,
   * VECTOR_FIELDS, or FIELD #f and its part (e.g. {@code FIELD #1 VECTORS}).
   */
  static String sectionName(int kind) {
    if (kind == IDS) {
      return "IDS";
    }
    if (kind == COLUMN_DIRECTORY) {
      return "COLUMNS";
    }
    if (kind == VECTOR_FIELDS) {
      return "VECTOR_FIELDS";
    }
    if (kind >= FIELD_BASE) {
      return "FIELD #" + fieldOf(kind) + " " + partName((kind - FIELD_BASE) % FIELD_STRIDE);
    }
    if (kind >= COLUMN_BASE) {
      return "COLUMN #" + (kind - COLUMN_BASE);
    }
    PartKind part = kind > 0 && kind < IDS ? PartKind.byId(kind) : null;
    return part != null ? part.name() : "kind " + kind;
  }
}
