package io.vecgate.gateway.milvus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.reader.Filter;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MilvusExprTest {

  private static final SpaceSchema SCHEMA = schema();

  private static SpaceSchema schema() {
    try {
      ObjectNode body = (ObjectNode) StrictJson.MAPPER.readTree("""
          {"name": "c", "engine": {"retrieval_type": "FLAT", "retrieval_param": {"metric_type": "L2"}},
           "properties": {"vec": {"type": "vector", "dimension": 2}, "id": {"type": "long", "index": true},
             "age": {"type": "integer", "index": true}, "price": {"type": "double", "index": true},
             "color": {"type": "keyword", "index": true}, "ok": {"type": "integer", "index": true}}}""");
      return SpaceSchemas.parse("default", body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String show(String expr) {
    return show(expr, Map.of());
  }

  /** The conjunctions as text: filters joined with " & ", conjunctions with " | ". */
  private static String show(String expr, Map<String, Object> templates) {
    return MilvusExpr.toFilters(expr, SCHEMA, Set.of("ok"), templates).stream()
        .map(c -> c.stream().map(MilvusExprTest::show).collect(Collectors.joining(" & ")))
        .collect(Collectors.joining(" | "));
  }

  private static String show(Filter f) {
    if (f.hasTerm()) {
      return f.getTerm().getField() + " " + f.getTerm().getOperator() + " " + f.getTerm().getValuesList();
    }
    var r = f.getRange();
    StringBuilder b = new StringBuilder(r.getField());
    if (r.hasGt()) b.append(" >").append(r.getGt());
    if (r.hasGte()) b.append(" >=").append(r.getGte());
    if (r.hasLt()) b.append(" <").append(r.getLt());
    if (r.hasLte()) b.append(" <=").append(r.getLte());
    return b.toString();
  }

  @Test
  void emptyMatchesEverything() {
    assertEquals(List.of(List.of()), MilvusExpr.toFilters("  ", SCHEMA, Set.of(), Map.of()));
  }

  @Test
  void comparisonsBecomeRanges() {
    assertEquals("age >=18.0 & price <9.5", show("age >= 18 and price < 9.5"));
    assertEquals("age >18.0", show("18 < age"));
    assertEquals("age >=3.0 <=3.0", show("age == 3"));
  }

  @Test
  void inAndNotInBecomeTerms() {
    assertEquals("color or [red, blue]", show("color in [\"red\", 'blue']"));
    assertEquals("id not [1, 2]", show("id not in [1, 2]"));
    assertEquals("color not [x]", show("color != \"x\""));
  }

  @Test
  void orAndNotExpandToConjunctions() {
    assertEquals("age <18.0 | color or [red]", show("age < 18 || color == \"red\""));
    // not (a and b) = not a or not b
    assertEquals("age <18.0 | color not [red]", show("not (age >= 18 && color == 'red')"));
    // != on a number is < or >
    assertEquals("age >3.0 & id >=1.0 | age <3.0 & id >=1.0", show("age != 3 and id >= 1"));
    assertEquals("age >=1.0 & price >2.0 | age >=1.0 & price <1.0", show("age >= 1 and (price > 2 or price < 1)"));
  }

  @Test
  void boolFieldsCompareWithTrueAndFalse() {
    assertEquals("ok >=1.0 <=1.0", show("ok"));
    assertEquals("ok >=0.0 <=0.0", show("ok == false"));
    assertEquals("ok >1.0 | ok <1.0", show("!ok"));
  }

  @Test
  void templatesAreSubstituted() {
    assertEquals("id or [7, 8] & age >20.0", show("id in {ids} and age > {a}", Map.of("ids", List.of(7L, 8L), "a", 20L)));
  }

  @Test
  void badExpressionsAreRefusedWithAReason() {
    assertTrue(assertThrows(ApiException.class, () -> show("nope > 1")).getMessage().contains("unknown scalar field 'nope'"));
    assertTrue(assertThrows(ApiException.class, () -> show("color > 'a'")).getMessage().contains("varchar field"));
    assertTrue(assertThrows(ApiException.class, () -> show("age > ")).getMessage().contains("unexpected end"));
    assertTrue(assertThrows(ApiException.class, () -> show("age == 1.5")).getMessage().contains("integers"));
    assertTrue(assertThrows(ApiException.class, () -> show("color like 'a%'")).getMessage().contains("like"));
    assertTrue(assertThrows(ApiException.class, () -> show("id in {missing}")).getMessage().contains("{missing}"));
    assertTrue(assertThrows(ApiException.class, () -> show("(age > 1")).getMessage().contains("expected ')'"));
  }
}
