package io.vecgate.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.vector.FloatVectors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TexmexTest {

  @TempDir Path dir;

  @Test
  void fvecsRoundTripThroughArraysAndNativeMemory() throws IOException {
    float[][] rows = new float[3000][5];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < 5; j++) {
        rows[i][j] = i * 10 + j - 0.5f;
      }
    }
    Path f = dir.resolve("a.fvecs");
    Texmex.writeFvecs(f, rows);
    assertEquals(3000L * (4 + 4 * 5), Files.size(f));
    assertEquals(new Texmex.Shape(3000, 5), Texmex.shape(f));
    assertTrue(Arrays.deepEquals(rows, Texmex.readFvecsArrays(f, 0)));
    try (Arena arena = Arena.ofConfined()) {
      FloatVectors v = Texmex.readFvecs(f, 0, arena);
      assertEquals(3000, v.count());
      assertArrayEquals(rows[2999], v.get(2999));
      Path g = dir.resolve("b.fvecs");
      Texmex.writeFvecs(g, v);
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g));
      assertEquals(7, Texmex.readFvecs(f, 7, arena).count());
    }
  }

  @Test
  void wideRowsCrossWriteChunks() throws IOException {
    float[][] rows = new float[700][1000]; // 4 KB rows, 2.8 MB: three 1 MiB chunks
    for (int i = 0; i < rows.length; i++) {
      rows[i][i % 1000] = i;
    }
    Path f = dir.resolve("w.fvecs");
    Texmex.writeFvecs(f, rows);
    assertTrue(Arrays.deepEquals(rows, Texmex.readFvecsArrays(f, 0)));
  }

  @Test
  void ivecsRoundTripAndLimit() throws IOException {
    int[][] rows = {{1, 2, 3}, {-1, 0, Integer.MAX_VALUE}};
    Path f = dir.resolve("g.ivecs");
    Texmex.writeIvecs(f, rows);
    assertTrue(Arrays.deepEquals(rows, Texmex.readIvecs(f, 0)));
    assertEquals(1, Texmex.readIvecs(f, 1).length);
  }

  @Test
  void littleEndianLayoutMatchesTexmex() throws IOException {
    Path f = dir.resolve("one.fvecs");
    Texmex.writeFvecs(f, new float[][] {{1.5f, -2f}});
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(2, b.getInt());
    assertEquals(1.5f, b.getFloat());
    assertEquals(-2f, b.getFloat());
  }

  @Test
  void truncatedOrInconsistentFilesFailWithTheFileName() throws IOException {
    Path f = dir.resolve("bad.fvecs");
    Texmex.writeFvecs(f, new float[][] {{1, 2}, {3, 4}});
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 1));
    IOException e = assertThrows(IOException.class, () -> Texmex.readFvecsArrays(f, 0));
    assertTrue(e.getMessage().contains("bad.fvecs"), e.getMessage());

    bytes[12] = 3; // header of row 1 says dimension 3
    Files.write(f, bytes);
    e = assertThrows(IOException.class, () -> Texmex.readFvecsArrays(f, 0));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
  }
}
