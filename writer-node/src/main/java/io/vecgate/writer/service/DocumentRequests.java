package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.json.StrictJson;
import io.vecgate.common.space.Document;
import io.vecgate.common.space.Documents;
import io.vecgate.writer.store.WriteOp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code doc.index}, {@code doc.delete} and {@code doc.bulk}: decodes and validates the request,
 * applies it on the space's lane (logged and fsynced before the answer), and answers with the
 * per-document results; {@code ?refresh=true} seals before answering.
 */
final class DocumentRequests {

  private final SpaceRegistry spaces;
  private final SpaceRefresher refresher;
  private final int sealDocs;

  /** @param sealDocs a space seals as soon as it buffers this many documents */
  DocumentRequests(SpaceRegistry spaces, SpaceRefresher refresher, int sealDocs) {
    this.spaces = spaces;
    this.refresher = refresher;
    this.sealDocs = sealDocs;
  }

  CompletableFuture<WriterReply> index(Map<String, String> headers, byte[] body) {
    String db = SpaceRegistry.required(headers, "db");
    SpaceLane lane = spaces.lane(db, SpaceRegistry.required(headers, "space"));
    String id = headers.get("id");
    if (id != null) {
      Documents.checkId(id, "id");
    }
    return lane.run(() -> {
      ObjectNode json = StrictJson.parseObject(body, "document");
      Document doc = Documents.parse(lane.schema, json, id, "");
      WriteOp.Index op = lane.store.prepareIndex(doc, "_id");
      String result = lane.store.apply(List.of(op)).getFirst();
      refresher.wrote(lane);
      refreshOrMaybeSeal(lane, headers);
      int status = result.equals("created") ? 201 : 200;
      ObjectNode o = Json.object();
      o.put("_index", db).put("_type", lane.name()).put("_id", op.id()).put("result", result).put("status", status);
      return new WriterReply(status, Json.bytes(o));
    });
  }

  CompletableFuture<WriterReply> delete(Map<String, String> headers) {
    SpaceLane lane = spaces.lane(SpaceRegistry.required(headers, "db"), SpaceRegistry.required(headers, "space"));
    String id = Documents.checkId(SpaceRegistry.required(headers, "id"), "id");
    return lane.run(() -> {
      WriteOp.Delete op = lane.store.prepareDelete(id, "id");
      String result = lane.store.apply(List.of(op)).getFirst();
      refresher.wrote(lane);
      refreshOrMaybeSeal(lane, headers);
      int status = result.equals("deleted") ? 200 : 404;
      ObjectNode o = Json.object().put("_id", id).put("result", result).put("status", status);
      return new WriterReply(status, Json.bytes(o));
    });
  }

  CompletableFuture<WriterReply> bulk(Map<String, String> headers, byte[] body) {
    SpaceLane lane = spaces.lane(SpaceRegistry.required(headers, "db"), SpaceRegistry.required(headers, "space"));
    long start = System.nanoTime();
    // Parsing needs no store state: it starts now, off the lane, so it overlaps the previous
    // request's WAL fsync; the lane task (queued now, so arrival order holds) waits for it.
    CompletableFuture<List<BulkParser.Item>> parsed = CompletableFuture.supplyAsync(
        () -> new BulkParser(lane.schema).parse(body));
    return lane.run(() -> {
      BulkItems items = BulkItems.prepare(parsed.join(), lane.store);
      List<String> results = lane.store.apply(items.ops());
      if (!items.ops().isEmpty()) {
        refresher.wrote(lane);
      }
      refreshOrMaybeSeal(lane, headers);
      return new WriterReply(200, Json.bytes(items.response(results, (System.nanoTime() - start) / 1_000_000)));
    });
  }

  /**
   * Adds documents checked already (a rebuild's source rows) as upserts, logged and fsynced like
   * any write; a full buffer seals right after.
   */
  CompletableFuture<Void> load(String db, String space, List<Document> docs) {
    SpaceLane lane = spaces.lane(db, space);
    lane.bulkLoading = true;
    return lane.run(() -> {
      List<WriteOp> ops = new java.util.ArrayList<>(docs.size());
      for (Document d : docs) {
        ops.add(lane.store.prepareIndex(d, "_id"));
      }
      lane.store.apply(ops);
      refresher.wrote(lane);
      if (lane.store.bufferedCount() >= sealDocs) {
        refresher.queueSeal(lane);
      }
      return null;
    });
  }

  /** {@code ?refresh=true} publishes before answering; otherwise a full buffer seals right after. */
  private void refreshOrMaybeSeal(SpaceLane lane, Map<String, String> headers) throws IOException {
    String refresh = headers.get("q.refresh");
    if (refresh != null && (refresh.isEmpty() || refresh.equals("true") || refresh.equals("wait_for"))) {
      refresher.sealNow(lane);
    } else if (lane.store.bufferedCount() >= sealDocs) {
      refresher.queueSeal(lane);
    }
  }
}
