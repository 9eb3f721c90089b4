package io.vecgate.engine.vector;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * What every Vector API kernel shares: the float species (the JVM's preferred width), the byte
 * order of stored vectors, and the fixed-order lane sum the kernels end with.
 */
final class PanamaLanes {

  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final int LANES = F.length();
  static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** Shuffles that move lane {@code i + k} to lane {@code i} (wrapping), for {@link #sum} on unusual widths. */
  private static final VectorShuffle<Float> DOWN_8 = VectorShuffle.iota(F, 8 % LANES, 1, true);
  private static final VectorShuffle<Float> DOWN_4 = VectorShuffle.iota(F, 4 % LANES, 1, true);
  private static final VectorShuffle<Float> DOWN_2 = VectorShuffle.iota(F, 2 % LANES, 1, true);
  private static final VectorShuffle<Float> DOWN_1 = VectorShuffle.iota(F, 1 % LANES, 1, true);

  /**
   * The sum of the lanes, always in the same order: a fixed tree of adds (lane {@code i} plus
   * lane {@code i + LANES/2}, then the same on the halves, down to one). Not
   * {@code reduceLanes(ADD)}, whose order the Vector API leaves open: the interpreter adds the
   * lanes one by one, compiled code may add them pairwise, so one kernel gave different last
   * bits before and after the JIT compiled it, and a query could score differently in a batch
   * and alone (query merging needs them identical). Scalar adds of extracted lanes are exact in
   * every tier and cost no more than {@code reduceLanes}; the same tree as lane-wise adds of
   * shuffled copies (kept for widths other than 4, 8 and 16) cost about 11 ns more per call
   * (JMH, 128-d SQ8: 35 against 24 ns), a third of an SQ8 code's distance.
   */
  static float sum(FloatVector v) {
    return switch (LANES) {
      case 16 -> (((v.lane(0) + v.lane(8)) + (v.lane(4) + v.lane(12))) + ((v.lane(2) + v.lane(10)) + (v.lane(6) + v.lane(14))))
          + (((v.lane(1) + v.lane(9)) + (v.lane(5) + v.lane(13))) + ((v.lane(3) + v.lane(11)) + (v.lane(7) + v.lane(15))));
      case 8 -> ((v.lane(0) + v.lane(4)) + (v.lane(2) + v.lane(6))) + ((v.lane(1) + v.lane(5)) + (v.lane(3) + v.lane(7)));
      case 4 -> (v.lane(0) + v.lane(2)) + (v.lane(1) + v.lane(3));
      default -> shuffledSum(v);
    };
  }

  /** {@link #sum} as lane-wise adds of shuffled copies: the same tree for any width. */
  static float shuffledSum(FloatVector v) {
    if (LANES >= 16) {
      v = v.add(v.rearrange(DOWN_8));
    }
    if (LANES >= 8) {
      v = v.add(v.rearrange(DOWN_4));
    }
    if (LANES >= 4) {
      v = v.add(v.rearrange(DOWN_2));
    }
    if (LANES >= 2) {
      v = v.add(v.rearrange(DOWN_1));
    }
    return v.lane(0);
  }

  private PanamaLanes() {}
}
