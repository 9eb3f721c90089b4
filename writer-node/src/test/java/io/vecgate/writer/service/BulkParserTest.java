package io.vecgate.writer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.space.SpaceSchema;
import io.vecgate.writer.TestSpaces;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BulkParserTest {

  static final SpaceSchema SCHEMA = TestSpaces.schema("db", TestSpaces.body("s", 4));

  static List<BulkParser.Item> parse(String body) {
    return new BulkParser(SCHEMA).parse(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void nextNewlineMatchesAByteLoopOnAwkwardLengths() {
    Random r = new Random(11);
    for (int len : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 31, 64, 65, 127, 1031}) {
      for (int n = 0; n < 200; n++) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
          int k = r.nextInt(12);
          b[i] = (byte) (k == 0 ? '\n' : k == 1 ? 0x8A : k == 2 ? 0x0B : k == 3 ? 0x09 : r.nextInt(256));
        }
        for (int from = 0; from <= len; from += 1 + r.nextInt(5)) {
          int expected = from;
          while (expected < len && b[expected] != '\n') {
            expected++;
          }
          assertEquals(expected, BulkParser.nextNewline(b, from), "len " + len + " from " + from);
        }
      }
    }
  }

  @Test
  void documentLineErrorsNameTheLine() {
    List<BulkParser.Item> items = parse("""
        {"index":{"_id":"a"}}
        {"vec":{"feature":[1,2,3,4]
        {"index":{"_id":"b"}}
        [1, 2]
        {"index":{"_id":"c"}}
        {"vec":{"feature":[1,2,3,1e39]}}
        {"index":{"_id":"d"}}
        {"_id":"e","vec":{"feature":[1,2,3,4]}}
        {"index":{"_id":"f"}}
        {"vec":{"feature":[1,2,3,4]},"price":1,"price":2}
        """);
    assertEquals(5, items.size());
    assertTrue(items.get(0).error().reason().startsWith("line 2: malformed JSON: Unexpected end-of-input: expected close "
        + "marker for Object"), items.get(0).error().reason());
    assertEquals("parse_exception", items.get(0).error().type());
    assertEquals("line 4: expected a document object, got array [1,2]", items.get(1).error().reason());
    assertEquals("line 6.vec.feature[3]: expected a finite float, got 1.0E39", items.get(2).error().reason());
    assertEquals("line 8._id: the body says 'e' but the request is for 'd'", items.get(3).error().reason());
    assertEquals("line 10: malformed JSON: Duplicate field 'price'", items.get(4).error().reason());
    for (int i = 0; i < 5; i++) {
      assertEquals(400, items.get(i).error().status());
      assertEquals(2 * i + 2, items.get(i).line());
      assertNull(items.get(i).doc());
    }
    assertEquals("a", items.get(0).id());
  }

  @Test
  void manyDocumentsParsedInParallelKeepTheirOrder() {
    StringBuilder sb = new StringBuilder();
    int n = 1000;
    for (int i = 0; i < n; i++) {
      sb.append(i % 3 == 0 ? "{\"index\":{}}" : "{\"index\":{\"_id\":" + i + "}}").append(i % 2 == 0 ? "\r\n" : "\n");
      sb.append("{\"_id\":\"").append(i).append("\",\"n\":").append(i).append(",\"vec\":{\"feature\":[")
          .append(i).append(",0.5,-1,2e3]}}\n");
      if (i % 100 == 0) {
        sb.append("\n  \n");
      }
    }
    List<BulkParser.Item> items = parse(sb.toString());
    assertEquals(n, items.size());
    for (int i = 0; i < n; i++) {
      BulkParser.Item it = items.get(i);
      assertNull(it.error(), () -> it.error().reason());
      assertEquals(String.valueOf(i), it.id());
      assertEquals((long) i, it.doc().scalars().get("n"));
      assertArrayEquals(new float[] {i, 0.5f, -1, 2000}, it.doc().vector());
    }
  }
}
