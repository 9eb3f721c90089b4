package io.vecgate.writer.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgate.space.Document;
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

  @Test
  void severalVectorFieldsAreLoggedOneAfterTheOtherAndOneFieldAsBefore() {
    WalCodec c = new WalCodec(TestSpaces.schema("db", TestSpaces.twoVectorBody("s", 3, 2, 1, "FLAT", "")));
    Document d = new Document("a", new float[] {1, 2, 3, -4, 5}, Map.of("price", 1f));
    byte[] payload = c.encodeIndex(d);
    Document back = c.decodeIndex(payload);
    assertArrayEquals(d.vector(), back.vector());
    assertEquals(d.scalars(), back.scalars());
    // id length + id + 5 floats + one presence byte per scalar field (price, brand, n) + the float.
    assertEquals(4 + 1 + 5 * 4 + 3 + 4, payload.length);
    // A space of one vector field writes the layout it always did: id, the vector, the scalars.
    WalCodec one = new WalCodec(TestSpaces.schema("db", TestSpaces.body("s", 3)));
    byte[] single = one.encodeIndex(new Document("a", new float[] {1, 2, 3}, Map.of()));
    assertEquals(4 + 1 + 3 * 4 + 3, single.length);
    assertEquals(Float.floatToIntBits(3f), java.nio.ByteBuffer.wrap(single).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .getInt(4 + 1 + 8));
  }
}
