package io.vecgate.writer.rebuild.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.writer.TestSpaces;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SourceSpecTest {

  static SourceSpec parse(String json) {
    return SourceSpec.parse(TestSpaces.parse(json), "source");
  }

  static String refusal(String json) {
    return assertThrows(ApiException.class, () -> parse(json)).reason();
  }

  @Test
  void parsesTheThreeShapes() {
    assertEquals(new SourceSpec.PostgresTable("postgresql://u@h:5432/d", "public.items"),
        parse("{\"type\": \"postgres\", \"uri\": \"postgresql://u@h:5432/d\", \"table\": \"public.items\"}"));
    assertEquals(new SourceSpec.PostgresQuery("postgresql://u@h/d", "SELECT id, vec FROM t"),
        parse("{\"type\": \"postgres\", \"uri\": \"postgresql://u@h/d\", \"query\": \" SELECT id, vec FROM t \"}"));
    assertEquals(new SourceSpec.File(Path.of("/data/base.fvecs")), parse("{\"type\": \"file\", \"path\": \"/data/base.fvecs\"}"));
  }

  @Test
  void refusalsNameTheField() {
    assertTrue(refusal("{\"type\": \"mysql\"}").startsWith("source.type: expected \"postgres\", \"file\" or \"backup\""));
    assertTrue(refusal("{\"type\": \"backup\", \"path\": \"/b\", \"x\": 1}").startsWith("source.x: unknown field"));
    assertTrue(refusal("{\"uri\": \"x\"}").startsWith("source.type: missing"));
    assertTrue(refusal("{\"type\": \"postgres\", \"uri\": \"postgresql://h/d\", \"tabel\": \"t\"}")
        .startsWith("source.tabel: unknown field"));
    assertTrue(refusal("{\"type\": \"postgres\", \"uri\": \"mysql://h/d\", \"table\": \"t\"}").startsWith("source.uri:"));
    assertTrue(refusal("{\"type\": \"postgres\", \"uri\": \"postgresql://h/d\"}").contains("neither"));
    assertTrue(refusal("{\"type\": \"postgres\", \"uri\": \"postgresql://h/d\", \"table\": \"t\", \"query\": \"q\"}")
        .contains("both"));
    assertTrue(refusal("{\"type\": \"postgres\", \"uri\": \"postgresql://h/d\", \"table\": \"t; DROP TABLE x\"}")
        .startsWith("source.table: expected a table name"));
    assertTrue(refusal("{\"type\": \"file\", \"path\": \"/x.csv\"}").startsWith("source.path: expected a .fvecs or .ndjson"));
    assertTrue(refusal("[1]").startsWith("source: expected an object"));
  }
}
