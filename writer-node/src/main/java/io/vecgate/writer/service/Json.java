package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchema;
import io.vecgate.writer.store.SpaceStats;

/** The JSON bodies the writer answers with. */
final class Json {

  private Json() {}

  static ObjectNode object() {
    return StrictJson.MAPPER.createObjectNode();
  }

  /** {@code {"code":0,"msg":"success","data":data}}, the Vearch management answer. */
  static WriterReply success(JsonNode data) {
    ObjectNode o = object();
    o.put("code", 0).put("msg", "success").set("data", data);
    return WriterReply.of(200, o);
  }

  /** {@code {"error": {"type", "reason"}}}. */
  static ObjectNode error(ApiException e) {
    ObjectNode o = object();
    o.putObject("error").put("type", e.type()).put("reason", e.reason());
    return o;
  }

  static ObjectNode name(String name) {
    return object().put("name", name);
  }

  /** The space description of docs/internals.md. */
  static ObjectNode describe(SpaceSchema schema, SpaceStats stats) {
    ObjectNode o = object();
    o.put("name", schema.name()).put("db", schema.db()).put("partition_num", schema.partitionNum())
        .put("replica_num", schema.replicaNum()).put("partitioner", schema.partitioner());
    o.set("engine", schema.body().get("engine").deepCopy());
    o.set("properties", schema.body().get("properties").deepCopy());
    o.put("doc_num", stats.docNum()).put("buffered", stats.buffered()).put("version", stats.version());
    ArrayNode versions = o.putArray("versions");
    stats.versions().forEach(versions::add);
    ArrayNode parts = o.putArray("partitions");
    for (SpaceStats.Partition p : stats.partitions()) {
      ObjectNode po = parts.addObject().put("id", p.id()).put("doc_num", p.docNum());
      ArrayNode segs = po.putArray("segments");
      p.segments().forEach(s -> segs.addObject().put("file", s.file()).put("doc_num", s.docNum())
          .put("deleted", s.deleted()).put("index", s.index()));
    }
    o.put("index_state", stats.indexState()).put("indexed_docs", stats.indexedDocs()).put("flat_docs", stats.flatDocs())
        .put("index_build", stats.indexBuild());
    return o;
  }
}
