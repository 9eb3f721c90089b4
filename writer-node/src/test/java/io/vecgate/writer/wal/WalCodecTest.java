package io.vecgate.writer.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.common.space.Document;
import io.vecgate.writer.TestSpaces;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalCodecTest {

  @Test
  void indexRoundTripKeepsEveryValueAndAbsence() {
    WalCodec c = new WalCodec(TestSpaces.schema("db", TestSpaces.body("s", 3)));
    Document d = new Document("é-1", new float[] {1, -2.5f, 3}, Map.of("price", 9.5f, "n", 1L << 60));
    Document back = c.decodeIndex(c.encodeIndex(d));
    assertEquals("é-1", back.id());
    assertArrayEquals(d.vector(), back.vector());
    assertEquals(d.scalars(), back.scalars());
    assertEquals("x", WalCodec.decodeDelete(WalCodec.encodeDelete("x")));
  }
}
