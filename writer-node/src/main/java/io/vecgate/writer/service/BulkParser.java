package io.vecgate.writer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.Document;
import io.vecgate.space.DocumentStreamParser;
import io.vecgate.space.Documents;
import io.vecgate.space.SpaceSchema;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** Action lines (and the line after a broken one) as trees; the same mapper the document parser matches. */
  private static final ObjectMapper MAPPER = DocumentStreamParser.MAPPER;

  private final DocumentStreamParser documents;

  BulkParser(SpaceSchema schema) {
    this.documents = new DocumentStreamParser(schema);
  }

  /** A parsed action line: the JSON (null when malformed) and the parse error. */
  private record Line(int number, JsonNode json, String problem) {}

  /**
   * Action lines are parsed here, one after the other, as trees (they are small, and a broken
   * one decides whether the next line is its document); document lines are parsed afterwards on
   * every core with the streaming {@link DocumentStreamParser}, with no tree.
   */
  List<Item> parse(byte[] body) {
    Lines lines = split(body);
    List<Item> items = new ArrayList<>();
    List<PendingDoc> pending = new ArrayList<>();
    for (int i = 0; i < lines.count; i++) {
      Line l = lines.tree(i);
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
      if (i + 1 >= lines.count) {
        items.add(error(name, id, l.number(), ApiException.parse(where + ": the index action has no document line after it")));
        continue;
      }
      // Parsed below, in parallel with the other documents.
      pending.add(new PendingDoc(items.size(), ++i, id));
      items.add(null);
    }
    parallel(pending.size(), k -> {
      PendingDoc p = pending.get(k);
      int number = lines.number[p.line()];
      String where = "line " + number;
      Item item;
      try {
        Document d = documents.parse(body, lines.offset[p.line()], lines.length[p.line()], p.id(), where);
        item = new Item("index", d.id(), d, number, null);
      } catch (JsonProcessingException e) {
        item = error("index", p.id(), number, ApiException.parse(where + ": malformed JSON: " + e.getOriginalMessage()));
      } catch (ApiException e) {
        item = error("index", p.id(), number, e);
      }
      items.set(p.item(), item);
    });
    return items;
  }

  /** A document line (index into {@link Lines}) waiting to be parsed, and the item it becomes. */
  private record PendingDoc(int item, int line, String id) {}

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
  private static int skipSource(Lines lines, int i) {
    if (i + 1 >= lines.count) {
      return 0;
    }
    JsonNode next = lines.tree(i + 1).json();
    boolean isAction = next != null && next.isObject() && next.size() == 1
        && (next.has("index") || next.has("delete")) && next.elements().next().isObject();
    return isAction ? 0 : 1;
  }

  /** The non-blank lines of a body: where each starts, its length (without the line break) and its 1-based number. */
  private static final class Lines {
    final byte[] body;
    int count;
    int[] offset = new int[64];
    int[] length = new int[64];
    int[] number = new int[64];
    /** Trees of the lines parsed as actions, made on first use. */
    private Line[] trees;

    Lines(byte[] body) {
      this.body = body;
    }

    void add(int off, int len, int no) {
      if (count == offset.length) {
        offset = Arrays.copyOf(offset, count * 2);
        length = Arrays.copyOf(length, count * 2);
        number = Arrays.copyOf(number, count * 2);
      }
      offset[count] = off;
      length[count] = len;
      number[count] = no;
      count++;
    }

    Line tree(int k) {
      if (trees == null) {
        trees = new Line[count];
      }
      if (trees[k] == null) {
        trees[k] = parseLine(body, offset[k], length[k], number[k]);
      }
      return trees[k];
    }
  }

  private static Lines split(byte[] body) {
    Lines lines = new Lines(body);
    int start = 0;
    int number = 0;
    while (start <= body.length) {
      int end = nextNewline(body, start);
      number++;
      int len = end - start;
      if (len > 0 && body[end - 1] == '\r') {
        len--;
      }
      if (!blank(body, start, len)) {
        lines.add(start, len, number);
      }
      start = end + 1;
    }
    return lines;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The index of the first {@code '\n'} at or after {@code from}, or {@code b.length}; eight bytes
   * a step (the byte loop took a tenth of a bulk request's parsing, on one core).
   */
  static int nextNewline(byte[] b, int from) {
    int i = from;
    for (; i <= b.length - 8; i += 8) {
      long w = (long) LONGS.get(b, i) ^ NEWLINES;
      // A high bit for each zero byte of w (a newline), exact for the lowest one.
      long zeros = (w - ONES) & ~w & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return b.length;
  }

  private static Line parseLine(byte[] body, int off, int len, int number) {
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
