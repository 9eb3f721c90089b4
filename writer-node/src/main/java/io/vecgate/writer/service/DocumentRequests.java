package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.Document;
import io.vecgate.space.Documents;
import io.vecgate.writer.store.WriteOp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Documents: index, delete and bulk. Decodes and validates the request against the space's
 * schema, applies it on the space's lane (logged and fsynced before the answer), and answers with
 * the per-document results; a refreshed write seals before answering and names the version.
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

  CompletableFuture<WriterReply> index(String db, String space, String id, Payload document, boolean refresh) {
    SpaceLane lane = spaces.lane(db, space);
    if (id != null) {
      Documents.checkId(id, "id");
    }
    return lane.run(() -> {
      ObjectNode json = StrictJson.parseObject(document.bytes(), "document");
      Document doc = Documents.parse(lane.schema, json, id, "");
      WriteOp.Index op = lane.store.prepareIndex(doc, "_id");
      String result = lane.store.apply(List.of(op)).getFirst();
      refresher.wrote(lane);
      int status = result.equals("created") ? 201 : 200;
      ObjectNode o = Json.object();
      o.put("_index", db).put("_type", lane.name()).put("_id", op.id()).put("result", result).put("status", status);
      return afterWrite(lane, WriterReply.of(status, o), refresh);
    });
  }

  CompletableFuture<WriterReply> delete(String db, String space, String id, boolean refresh) {
    SpaceLane lane = spaces.lane(db, space);
    Documents.checkId(id, "id");
    return lane.run(() -> {
      WriteOp.Delete op = lane.store.prepareDelete(id, "id");
      String result = lane.store.apply(List.of(op)).getFirst();
      refresher.wrote(lane);
      int status = result.equals("deleted") ? 200 : 404;
      ObjectNode o = Json.object().put("_id", id).put("result", result).put("status", status);
      return afterWrite(lane, WriterReply.of(status, o), refresh);
    });
  }

  CompletableFuture<WriterReply> bulk(String db, String space, Payload ndjson, boolean refresh) {
    SpaceLane lane = spaces.lane(db, space);
    long start = System.nanoTime();
    // Parsing needs no store state: it starts now, off the lane, so it overlaps the previous
    // request's WAL fsync; the lane task (queued now, so arrival order holds) waits for it.
    CompletableFuture<List<BulkParser.Item>> parsed = CompletableFuture.supplyAsync(
        () -> new BulkParser(lane.schema).parse(ndjson.bytes()));
    return lane.run(() -> {
      BulkItems items = BulkItems.prepare(parsed.join(), lane.store);
      List<String> results = lane.store.apply(items.ops());
      if (!items.ops().isEmpty()) {
        refresher.wrote(lane);
      }
      ObjectNode body = items.response(results, (System.nanoTime() - start) / 1_000_000);
      return afterWrite(lane, WriterReply.of(200, body), refresh);
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
      List<WriteOp> ops = new ArrayList<>(docs.size());
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

  /**
   * On the lane, after a write: with {@code refresh} it is published before the answer, which
   * names the version; otherwise a full buffer seals right after.
   */
  private WriterReply afterWrite(SpaceLane lane, WriterReply reply, boolean refresh) throws IOException {
    if (refresh) {
      return reply.withVersion(refresher.sealNow(lane));
    }
    if (lane.store.bufferedCount() >= sealDocs) {
      refresher.queueSeal(lane);
    }
    return reply;
  }
}
