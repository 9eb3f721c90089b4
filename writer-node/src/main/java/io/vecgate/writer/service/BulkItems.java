package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.writer.store.SpaceStore;
import io.vecgate.writer.store.WriteOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of one {@code _bulk} request: the write ops of the valid ones (in request order)
 * and the error of each refused one, then the Elasticsearch-shaped response with one result per
 * item. A bad item fails alone.
 */
final class BulkItems {

  private final List<BulkParser.Item> items;
  private final List<WriteOp> ops;
  private final ApiException[] errors;
  /** For item i, the index of its op in {@link #ops}, or -1 when it was refused. */
  private final int[] opOf;

  private BulkItems(List<BulkParser.Item> items, List<WriteOp> ops, ApiException[] errors, int[] opOf) {
    this.items = items;
    this.ops = ops;
    this.errors = errors;
    this.opOf = opOf;
  }

  /** Checks the parsed items against {@code store} (ids the partitioner cannot place are refused). */
  static BulkItems prepare(List<BulkParser.Item> items, SpaceStore store) {
    List<WriteOp> ops = new ArrayList<>(items.size());
    ApiException[] errors = new ApiException[items.size()];
    int[] opOf = new int[items.size()];
    for (int i = 0; i < items.size(); i++) {
      BulkParser.Item it = items.get(i);
      opOf[i] = -1;
      if (it.error() != null) {
        errors[i] = it.error();
        continue;
      }
      try {
        String where = "line " + it.line();
        WriteOp op = it.doc() != null ? store.prepareIndex(it.doc(), where + "._id")
            : store.prepareDelete(it.id(), where + "._id");
        opOf[i] = ops.size();
        ops.add(op);
      } catch (ApiException e) {
        errors[i] = e;
      }
    }
    return new BulkItems(items, ops, errors, opOf);
  }

  /** The ops to apply, in request order. */
  List<WriteOp> ops() {
    return ops;
  }

  /**
   * {@code {"took", "errors", "items": [{action: {"_id", "status", "result" | "error"}}]}}.
   *
   * @param results per op, as {@link SpaceStore#apply} returned them
   */
  ObjectNode response(List<String> results, long tookMillis) {
    ObjectNode o = Json.object();
    ArrayNode arr = StrictJson.MAPPER.createArrayNode();
    boolean anyError = false;
    for (int i = 0; i < items.size(); i++) {
      BulkParser.Item it = items.get(i);
      ObjectNode item = arr.addObject().putObject(it.action());
      if (errors[i] != null) {
        anyError = true;
        if (it.id() != null) {
          item.put("_id", it.id());
        } else {
          item.putNull("_id");
        }
        item.put("status", errors[i].status()).set("error", Json.error(errors[i]).get("error"));
      } else {
        String result = results.get(opOf[i]);
        int status = switch (result) {
          case "created" -> 201;
          case "not_found" -> 404;
          default -> 200;
        };
        item.put("_id", ops.get(opOf[i]).id()).put("status", status).put("result", result);
      }
    }
    o.put("took", tookMillis).put("errors", anyError).set("items", arr);
    return o;
  }
}
