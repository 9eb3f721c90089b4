package io.vecgate.engine.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.vector.VectorOps;
import io.vecgate.engine.vector.VectorizationProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SQ8 and PQ quantisers (named Ivf* so that the IVF test selection runs it). */
class IvfQuantizerTest {

  private static final VectorOps OPS = VectorizationProvider.ops();

  @Test
  void sq8CodesAtBothExtremesOfTheRange() {
    int dim = 5;
    float[] data = {
        -3f, 0f, 10f, 1e-3f, 7f,
        5f, 1f, 20f, 2e-3f, 7f,
        1f, 0.5f, 15f, 1.5e-3f, 7f};
    ScalarQuantizer sq = ScalarQuantizer.train(data, 3, dim);
    float[] min = {-3f, 0f, 10f, 1e-3f, 7f};
    float[] max = {5f, 1f, 20f, 2e-3f, 7f};
    for (int j = 0; j < 4; j++) {
      assertEquals(0, sq.code(min[j], j), "min of dimension " + j);
      assertEquals(255, sq.code(max[j], j), "max of dimension " + j);
      assertEquals(0, sq.code(min[j] - 100, j), "below the range clamps");
      assertEquals(255, sq.code(max[j] + 100, j), "above the range clamps");
      assertEquals(max[j], sq.decode(255, j), Math.ulp(max[j]) * 4);
    }
    assertEquals(0, sq.code(7f, 4), "a constant dimension has scale 0 and code 0");
    assertEquals(7f, sq.decode(0, 4));
  }

  @Test
  void sq8RoundTripErrorIsAtMostHalfAStep() {
    int n = 200, dim = 13;
    float[] data = new float[n * dim];
    Random rnd = new Random(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian() * (1 + i % dim);
    }
    ScalarQuantizer sq = ScalarQuantizer.train(data, n, dim);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment codes = arena.allocate(dim);
      MemorySegment range = arena.allocate(2L * dim * Float.BYTES);
      sq.writeRange(range);
      ScalarQuantizer back = ScalarQuantizer.readRange(range, dim);
      for (int i = 0; i < n; i++) {
        back.encode(data, i * dim, null, 0, codes, 0);
        for (int j = 0; j < dim; j++) {
          int c = codes.get(ValueLayout.JAVA_BYTE, j) & 0xFF;
          float err = Math.abs(back.decode(c, j) - data[i * dim + j]);
          assertTrue(err <= sq.scale()[j] * 0.5001f, "row " + i + " dim " + j + " error " + err);
        }
      }
    }
  }

  @Test
  void pqShapeIsCheckedWithAClearMessage() {
    var e = assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.checkShape(33, 4, 8));
    assertTrue(e.getMessage().contains("m must divide the dimension 33"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ProductQuantizer.checkShape(32, 4, 4));
    assertTrue(e.getMessage().contains("nbits must be 8"), e.getMessage());
    ProductQuantizer.checkShape(33, 11, 8);
  }

  @Test
  void pqEncodesToTheNearestCodewordOfEachSubspace() {
    int n = 2000, dim = 12, m = 4;
    float[] data = new float[n * dim];
    Random rnd = new Random(2);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    ProductQuantizer pq = ProductQuantizer.train(OPS, data, n, dim, m, 8, 5);
    float[] lut = new float[m * ProductQuantizer.KSUB];
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment codes = arena.allocate(m);
      for (int i = 0; i < 50; i++) {
        float[] x = java.util.Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
        pq.encode(x, 0, null, 0, new float[pq.scratchSize()], codes, 0);
        pq.l2Table(x, lut);
        for (int s = 0; s < m; s++) {
          int code = codes.get(ValueLayout.JAVA_BYTE, s) & 0xFF;
          for (int c = 0; c < ProductQuantizer.KSUB; c++) {
            assertTrue(lut[s * 256 + code] <= lut[s * 256 + c], "row " + i + " sub " + s + " code " + code + " vs " + c);
          }
        }
      }
    }
  }
}
