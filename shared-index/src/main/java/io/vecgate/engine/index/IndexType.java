package io.vecgate.engine.index;

import java.util.Locale;

/** The index families of the engine, named as faiss and the bench CLI name them. */
public enum IndexType {
  FLAT,
  IVF_FLAT,
  IVF_SQ8,
  IVF_PQ,
  HNSW;

  /** Parses {@code FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ, HNSW}; also the Vearch spellings IVFFLAT, IVFSQ8, IVFPQ. */
  public static IndexType parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace("-", "_");
    return switch (n) {
      case "FLAT", "BRUTE" -> FLAT;
      case "IVF_FLAT", "IVFFLAT" -> IVF_FLAT;
      case "IVF_SQ8", "IVFSQ8" -> IVF_SQ8;
      case "IVF_PQ", "IVFPQ" -> IVF_PQ;
      case "HNSW" -> HNSW;
      default -> throw new IllegalArgumentException(
          "index type must be one of FLAT, IVF_FLAT, IVF_SQ8, IVF_PQ, HNSW; got '" + name + "'");
    };
  }
}
