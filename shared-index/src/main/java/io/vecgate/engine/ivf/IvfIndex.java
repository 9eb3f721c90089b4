package io.vecgate.engine.ivf;

import io.vecgate.engine.index.AbstractVectorIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.index.IndexParts;
import io.vecgate.engine.index.IndexType;
import io.vecgate.engine.index.PartKind;
import io.vecgate.engine.quant.ProductQuantizer;
import io.vecgate.engine.quant.ScalarQuantizer;
import io.vecgate.engine.search.Bits;
import io.vecgate.engine.search.Neighbors;
import io.vecgate.engine.search.SearchParams;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

/**
 * An inverted-file index (IVF_FLAT, IVF_SQ8 or IVF_PQ): vectors are grouped into {@code nlist}
 * lists around k-means centroids, and a query scans only the {@code nprobe} lists whose
 * centroids are nearest. Ordinals follow list order, so list {@code i} is the contiguous ordinal
 * range {@code [offsets[i], offsets[i+1])} of every per-ordinal part and no ordinal map exists.
 *
 * <p>Parts: {@code PARAMS}, {@code VECTORS} (raw, ordinal order), {@code IVF_CENTROIDS}
 * ({@code nlist x dim} float32 LE), {@code IVF_OFFSETS} ({@code nlist + 1} int32 LE), and for
 * SQ8 {@code SQ8_RANGE} + {@code SQ8_CODES}, for PQ {@code PQ_CODEBOOKS} + {@code PQ_CODES}.
 * All are read in place; only centroids, offsets and the small quantiser tables are copied to
 * the heap on open.
 */
public final class IvfIndex extends AbstractVectorIndex {

  private final IndexType type;
  private final IvfParams ivf;
  private final CoarseQuantizer coarse;
  private final ListEncoding encoding;
  private final MemorySegment centroidPart;
  private final MemorySegment offsetPart;

  IvfIndex(IndexType type, Metric metric, FloatVectors vectors, IndexParams params, IvfParams ivf,
           CoarseQuantizer coarse, ListEncoding encoding, MemorySegment centroidPart, MemorySegment offsetPart) {
    super(metric, vectors, params);
    this.type = type;
    this.ivf = ivf;
    this.coarse = coarse;
    this.encoding = encoding;
    this.centroidPart = centroidPart;
    this.offsetPart = offsetPart;
  }

  /**
   * Reopens an index from its parts (typically mapped from a file), checking their sizes and the
   * list offsets.
   *
   * @throws IllegalArgumentException naming the part that is missing or inconsistent
   */
  public static IvfIndex open(IndexType type, Metric metric, FloatVectors vectors, IndexParams params, IndexParts parts) {
    int dim = vectors.dimension();
    int n = vectors.count();
    IvfParams ivf = IvfParams.forOpen(type, params, dim);
    MemorySegment centroidPart = parts.require(PartKind.IVF_CENTROIDS);
    MemorySegment offsetPart = parts.require(PartKind.IVF_OFFSETS);
    CoarseQuantizer coarse = CoarseQuantizer.read(OPS, metric, centroidPart, offsetPart, ivf.nlist(), dim, n);
    ListEncoding encoding = switch (type) {
      case IVF_FLAT -> new FlatEncoding(OPS, metric, vectors);
      case IVF_SQ8 -> {
        MemorySegment range = parts.require(PartKind.SQ8_RANGE);
        yield new Sq8Encoding(OPS, metric, coarse, ScalarQuantizer.readRange(range, dim), range,
            parts.require(PartKind.SQ8_CODES), n);
      }
      case IVF_PQ -> {
        MemorySegment books = parts.require(PartKind.PQ_CODEBOOKS);
        yield new PqEncoding(OPS, metric, coarse, ProductQuantizer.readCodebooks(books, dim, ivf.m()), books,
            parts.require(PartKind.PQ_CODES), n, dim);
      }
      default -> throw new IllegalArgumentException(type + " is not an IVF index");
    };
    return new IvfIndex(type, metric, vectors, params, ivf, coarse, encoding, centroidPart, offsetPart);
  }

  @Override
  public IndexType type() {
    return type;
  }

  /** Number of lists. */
  public int nlist() {
    return coarse.nlist();
  }

  @Override
  public IndexParts parts() {
    Map<PartKind, MemorySegment> parts = new EnumMap<>(PartKind.class);
    parts.put(PartKind.PARAMS, MemorySegment.ofArray(params.encode()));
    parts.put(PartKind.VECTORS, vectors.data().asSlice(0, vectors.byteSize()));
    parts.put(PartKind.IVF_CENTROIDS, centroidPart);
    parts.put(PartKind.IVF_OFFSETS, offsetPart);
    encoding.addParts(parts);
    return new IndexParts(parts);
  }

  @Override
  protected Neighbors[] searchPrepared(float[][] queries, int[] k, SearchParams p, Bits filter) {
    int nprobe = Math.min(coarse.nlist(), p.nprobe() > 0 ? p.nprobe() : ivf.nprobe());
    int rerank = encoding.approximate() && !p.quick() ? (p.rerankFactor() > 0 ? p.rerankFactor() : ivf.rerank()) : 0;
    return new IvfSearcher(OPS, metric, vectors, coarse, encoding).search(queries, k, nprobe, rerank, filter);
  }
}
