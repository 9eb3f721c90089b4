package io.vecgate.protocol.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reader publishes on {@link Addresses#READERS} every second and on every change: where it
 * answers gRPC, whether it is ready, the versions it serves, its partitions and its liveness
 * signals. The reader encodes it, the gateway and the writer decode it; this is the one place
 * its keys are spelled (docs/internals.md, "Reader state").
 *
 * @param grpcPort 0 while the reader has no gRPC port yet
 * @param partitions the partitions it serves, or null for all
 * @param member its Hazelcast member id, or null when not announced
 * @param heartbeatKey its Redis heartbeat key, or null when it has none (no Redis, or it cannot write there now)
 * @param refused versions it would not load because they do not fit its memory budget (newest last)
 */
public record ReaderState(String nodeId, String grpcHost, int grpcPort, boolean ready, List<Served> versions,
                          List<Integer> partitions, String member, String heartbeatKey, List<Refused> refused) {

  /** One version a reader serves. */
  public record Served(String db, String space, long version) {}

  /** A version a reader refused to load, and why (the reason of its 507 {@code memory_budget_exceeded}). */
  public record Refused(String db, String space, long version, String reason) {}

  public ReaderState {
    versions = List.copyOf(versions);
    refused = List.copyOf(refused);
    partitions = partitions == null ? null : List.copyOf(partitions);
  }

  /** Whether it serves {@code db/space} at {@code version} or newer. */
  public boolean servesAtLeast(String db, String space, long version) {
    return versions.stream().anyMatch(v -> v.db().equals(db) && v.space().equals(space) && v.version() >= version);
  }

  /** Why it refused {@code db/space@version}, or null when it did not. */
  public String refusal(String db, String space, long version) {
    return refused.stream().filter(r -> r.db().equals(db) && r.space().equals(space) && r.version() == version)
        .map(Refused::reason).findFirst().orElse(null);
  }

  public JsonObject toJson() {
    JsonArray served = new JsonArray();
    for (Served v : versions) {
      served.add(new JsonObject().put("db", v.db()).put("space", v.space()).put("version", v.version()));
    }
    JsonObject o = new JsonObject().put("node_id", nodeId).put("grpc_host", grpcHost).put("grpc_port", grpcPort)
        .put("ready", ready).put("versions", served);
    if (partitions != null) {
      o.put("partitions", new JsonArray(partitions));
    }
    if (member != null) {
      o.put("member", member);
    }
    if (heartbeatKey != null) {
      o.put("heartbeat_key", heartbeatKey);
    }
    if (!refused.isEmpty()) {
      JsonArray out = new JsonArray();
      for (Refused r : refused) {
        out.add(new JsonObject().put("db", r.db()).put("space", r.space()).put("version", r.version())
            .put("reason", r.reason()));
      }
      o.put("refused", out);
    }
    return o;
  }

  /**
   * Decodes a state message.
   *
   * @throws IllegalArgumentException naming what is wrong: no node id, or a key of the wrong type
   */
  public static ReaderState fromJson(JsonObject o) {
    try {
      String id = o.getString("node_id");
      if (id == null || id.isEmpty()) {
        throw new IllegalArgumentException("a reader state without node_id");
      }
      List<Served> served = new ArrayList<>();
      for (Object e : o.getJsonArray("versions", new JsonArray())) {
        JsonObject v = (JsonObject) e;
        String db = v.getString("db");
        String space = v.getString("space");
        Long version = v.getLong("version");
        if (db == null || space == null || version == null) {
          throw new IllegalArgumentException("reader " + id + ": a served version without db, space or version: " + v);
        }
        served.add(new Served(db, space, version));
      }
      JsonArray parts = o.getJsonArray("partitions");
      List<Integer> partitions = null;
      if (parts != null) {
        partitions = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
          partitions.add(parts.getInteger(i));
        }
      }
      List<Refused> refused = new ArrayList<>();
      for (Object e : o.getJsonArray("refused", new JsonArray())) {
        JsonObject r = (JsonObject) e;
        if (r.getString("db") == null || r.getString("space") == null || r.getLong("version") == null) {
          throw new IllegalArgumentException("reader " + id + ": a refused version without db, space or version: " + r);
        }
        refused.add(new Refused(r.getString("db"), r.getString("space"), r.getLong("version"),
            r.getString("reason", "")));
      }
      return new ReaderState(id, o.getString("grpc_host", "127.0.0.1"), o.getInteger("grpc_port", 0),
          o.getBoolean("ready", false), served, partitions, o.getString("member"), o.getString("heartbeat_key"),
          refused);
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("a malformed reader state (" + e.getMessage() + "): " + o, e);
    }
  }
}
