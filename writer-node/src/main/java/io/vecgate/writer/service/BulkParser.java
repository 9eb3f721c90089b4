package io.vecgate.writer.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.json.StrictJson;
import io.vecgate.common.space.Document;
import io.vecgate.common.space.Documents;
import io.vecgate.common.space.SpaceSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Splits an NDJSON {@code _bulk} body into items: {@code {"index": {"_id": ...}}} followed by a
 * document line, or a single {@code {"delete": {"_id": ...}}} line. Empty lines are skipped. A
 * line that is not valid JSON, an unknown action or an invalid document fails only its own item,
 * with a reason naming the line (1-based), as Elasticsearch answers; the rest still applies.
 */
final class BulkParser {

  /** One bulk item: {@code error} set when the item is refused, else {@code doc} (index) or {@code id} (delete). */
  record Item(String action, String id, Document doc, int line, ApiException error) {}

  /**
   * Strict on duplicates and trailing garbage; doubles instead of BigDecimal for speed (BigDecimal
   * halves the bulk rate). Integer literals stay exact (int, long or BigInteger nodes); only a
   * long written with a fraction, like {@code 9007199254740993.0}, would be rounded.
   */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final SpaceSchema schema;

  BulkParser(SpaceSchema schema) {
    this.schema = schema;
  }

  /** A parsed line: the JSON (null when malformed) and the parse error. */
  private record Line(int number, JsonNode json, String problem) {}

  List<Item> parse(byte[] body) {
    List<Line> lines = split(body);
    List<Item> items = new ArrayList<>();
    List<PendingDoc> pending = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      String where = "line " + l.number();
      if (l.json() == null) {
        items.add(error("index", null, l.number(), ApiException.parse(where + ": malformed JSON: " + l.problem())));
        i += skipSource(lines, i);
        continue;
      }
      if (!l.json().isObject() || l.json().size() != 1) {
        items.add(error("index", null, l.number(), ApiException.parse(where
            + ": expected an action like {\"index\": {\"_id\": ...}} or {\"delete\": {\"_id\": ...}}, got "
            + StrictJson.describe(l.json()))));
        i += skipSource(lines, i);
        continue;
      }
      Map.Entry<String, JsonNode> action = l.json().properties().iterator().next();
      String name = action.getKey();
      if (!name.equals("index") && !name.equals("delete")) {
        items.add(error(name, null, l.number(), ApiException.parse(where + ": unknown action '" + name
            + "'; expected \"index\" or \"delete\"")));
        i += skipSource(lines, i);
        continue;
      }
      String id;
      try {
        id = meta(action.getValue(), where + "." + name, name.equals("delete"));
      } catch (ApiException e) {
        items.add(error(name, null, l.number(), e));
        i += name.equals("index") ? skipSource(lines, i) : 0;
        continue;
      }
      if (name.equals("delete")) {
        items.add(new Item(name, id, null, l.number(), null));
        continue;
      }
      if (i + 1 >= lines.size()) {
        items.add(error(name, id, l.number(), ApiException.parse(where + ": the index action has no document line after it")));
        continue;
      }
      Line src = lines.get(++i);
      String srcWhere = "line " + src.number();
      if (src.json() == null) {
        items.add(error(name, id, src.number(), ApiException.parse(srcWhere + ": malformed JSON: " + src.problem())));
        continue;
      }
      if (!src.json().isObject()) {
        items.add(error(name, id, src.number(), StrictJson.wrongType(srcWhere, "a document object", src.json())));
        continue;
      }
      // Checked below, in parallel with the other documents.
      pending.add(new PendingDoc(items.size(), (ObjectNode) src.json(), id, src.number()));
      items.add(null);
    }
    parallel(pending.size(), k -> {
      PendingDoc p = pending.get(k);
      Item item;
      try {
        Document d = Documents.parse(schema, p.json(), p.id(), "line " + p.line());
        item = new Item("index", d.id(), d, p.line(), null);
      } catch (ApiException e) {
        item = error("index", p.id(), p.line(), e);
      }
      items.set(p.item(), item);
    });
    return items;
  }

  /** A document line waiting for its checks, and the item it becomes. */
  private record PendingDoc(int item, ObjectNode json, String id, int line) {}

  /** Runs {@code task} for {@code 0..n-1} on every core in contiguous chunks (parsing dominates a bulk request). */
  private static void parallel(int n, java.util.function.IntConsumer task) {
    int chunks = Math.min(PARALLELISM, Math.max(1, n / 64));
    if (chunks == 1) {
      for (int k = 0; k < n; k++) {
        task.accept(k);
      }
      return;
    }
    java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      for (int k = from; k < to; k++) {
        task.accept(k);
      }
    });
  }

  private static final int PARALLELISM = Math.max(1, Runtime.getRuntime().availableProcessors());

  private static Item error(String action, String id, int line, ApiException e) {
    return new Item(action, id, null, line, e);
  }

  /** The {@code _id} of an action's metadata; required for deletes. */
  private static String meta(JsonNode m, String path, boolean required) {
    if (!m.isObject()) {
      throw StrictJson.wrongType(path, "an object like {\"_id\": \"v1\"}", m);
    }
    Iterator<String> keys = m.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      // _index and _type are what Elasticsearch clients send; the route already names the space.
      if (!k.equals("_id") && !k.equals("_index") && !k.equals("_type")) {
        throw ApiException.badRequest(path + "." + k + ": unknown field; expected _id");
      }
    }
    JsonNode id = m.get("_id");
    if (id == null || id.isNull()) {
      if (required) {
        throw StrictJson.missing(path, "_id", "the id of the document to delete");
      }
      return null;
    }
    return Documents.idValue(id, path + "._id");
  }

  /**
   * After a broken or unknown action line: 1 when the next line looks like its document (is
   * not itself an action), so that the document is not read as a further action.
   */
  private static int skipSource(List<Line> lines, int i) {
    if (i + 1 >= lines.size()) {
      return 0;
    }
    JsonNode next = lines.get(i + 1).json();
    boolean isAction = next != null && next.isObject() && next.size() == 1
        && (next.has("index") || next.has("delete")) && next.elements().next().isObject();
    return isAction ? 0 : 1;
  }

  private List<Line> split(byte[] body) {
    List<long[]> ranges = new ArrayList<>();
    int start = 0;
    int number = 0;
    while (start <= body.length) {
      int end = start;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      number++;
      int len = end - start;
      if (len > 0 && body[end - 1] == '\r') {
        len--;
      }
      if (!blank(body, start, len)) {
        ranges.add(new long[] {start, len, number});
      }
      start = end + 1;
    }
    Line[] lines = new Line[ranges.size()];
    parallel(lines.length, k -> {
      long[] r = ranges.get(k);
      lines[k] = parseLine(body, (int) r[0], (int) r[1], (int) r[2]);
    });
    return java.util.Arrays.asList(lines);
  }

  private Line parseLine(byte[] body, int off, int len, int number) {
    try {
      JsonNode n = MAPPER.readTree(body, off, len);
      return new Line(number, n, null);
    } catch (JsonProcessingException e) {
      return new Line(number, null, e.getOriginalMessage());
    } catch (IOException e) {
      return new Line(number, null, e.getMessage());
    }
  }

  private static boolean blank(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
