package io.vecgate.engine.segment;

import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.vector.Metric;
import java.util.EnumSet;
import java.util.Set;

/**
 * The segment file format: one immutable file holding an index, the ids and the scalar columns
 * of a set of documents, written by {@link SegmentWriter} and mapped by {@link SegmentReader}.
 *
 * <h2>Byte layout, format version 1</h2>
 * All integers are little-endian; offsets and lengths are int64, so no field limits a file or a
 * section to 2 GiB. CRC32C values are stored as uint32.
 *
 * <h3>Header: 64 bytes at offset 0</h3>
 * <pre>
 * offset type    field
 *  0     uint32  magic, {@link #MAGIC} (the bytes "VGSG")
 *  4     int32   format version ({@link #VERSION_1})
 *  8     int32   dimension of the vectors (>= 1)
 * 12     int32   metric id: 1 L2, 2 INNER_PRODUCT, 3 COSINE ({@link #metricId})
 * 16     int32   index type id: 1 FLAT, 2 IVF_FLAT, 3 IVF_SQ8, 4 IVF_PQ, 5 HNSW ({@link #indexTypeId})
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
 * most once. The writer orders them: PARAMS, the other parts by id, IDS, COLUMNS, columns.
 * Kind ids:
 * <ul>
 *   <li>1..99: index parts, id = {@link PartKind#id()}, content as {@link PartKind} documents.
 *       {@link PartKind#PARAMS} is always present (written from {@code VectorIndex.params()}
 *       when the index does not emit it); the parts each index type needs are
 *       {@link #requiredParts}. VECTORS holds exactly N x dimension float32.</li>
 *   <li>{@link #IDS} (100): N int64, the id of each ordinal.</li>
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
 * <h2>Version history</h2>
 * <ul>
 *   <li>1 (vecgate 0.1): first version. Fixture: {@code src/test/resources/segment/v1-flat.seg}.</li>
 * </ul>
 * A change to the layout adds a version: the reader keeps reading every version from
 * {@link #MIN_VERSION} to {@link #CURRENT_VERSION}, and each keeps its fixture and test.
 */
public final class SegmentFormat {

  /** "VGSG" as the first four bytes of the file, read as a little-endian int. */
  public static final int MAGIC = 0x47534756;
  public static final int VERSION_1 = 1;
  /** The version {@link SegmentWriter} writes. */
  public static final int CURRENT_VERSION = VERSION_1;
  /** The oldest version {@link SegmentReader} still reads. */
  public static final int MIN_VERSION = VERSION_1;

  public static final int HEADER_BYTES = 64;
  /** Bytes of the header covered by the header CRC (all but the CRC itself). */
  public static final int HEADER_CRC_OFFSET = 60;
  public static final int SECTION_ENTRY_BYTES = 32;
  public static final int ALIGNMENT = 64;

  public static final int IDS = 100;
  public static final int COLUMN_DIRECTORY = 101;
  public static final int COLUMN_BASE = 1000;
  /** Upper bound on columns, so a corrupt count cannot make the reader loop for ever. */
  public static final int MAX_COLUMNS = 1 << 16;

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

  /** Whether {@code kind} is a section id that version 1 defines (column ids need the directory to be sure). */
  static boolean isKnownKind(int kind) {
    return kind == IDS || kind == COLUMN_DIRECTORY || (kind >= COLUMN_BASE && kind < COLUMN_BASE + MAX_COLUMNS)
        || (kind > 0 && kind < IDS && PartKind.byId(kind) != null);
  }

  /** A section's name for messages: the part kind, IDS, COLUMNS, or COLUMN #i. */
  static String sectionName(int kind) {
    if (kind == IDS) {
      return "IDS";
    }
    if (kind == COLUMN_DIRECTORY) {
      return "COLUMNS";
    }
    if (kind >= COLUMN_BASE) {
      return "COLUMN #" + (kind - COLUMN_BASE);
    }
    PartKind part = kind > 0 && kind < IDS ? PartKind.byId(kind) : null;
    return part != null ? part.name() : "kind " + kind;
  }
}
