package io.vecgate.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-bus messages decode what they encode, and a malformed one is refused naming what is wrong. */
class BusMessagesTest {

  @Test
  void aReaderStateRoundTrips() {
    ReaderState s = new ReaderState("reader-1", "10.0.0.7", 9090, true,
        List.of(new ReaderState.Served("shop", "items", 3), new ReaderState.Served("shop", "logs", 1)), List.of(0, 2),
        "member-uuid", "vecgate:reader:reader-1",
        List.of(new ReaderState.Refused("shop", "big", 7, "shop/big@7 needs 900.0 MiB of new segment files")));
    JsonObject json = s.toJson();
    assertEquals("vecgate:reader:reader-1", json.getString("heartbeat_key"), "the wire keys stay as docs/internals.md shows");
    assertEquals("shop/big@7 needs 900.0 MiB of new segment files", s.refusal("shop", "big", 7));
    assertNull(s.refusal("shop", "big", 6));
    assertEquals(s, ReaderState.fromJson(new JsonObject(json.encode())));
    assertTrue(s.servesAtLeast("shop", "items", 2));
    assertTrue(s.servesAtLeast("shop", "items", 3));
    assertFalse(s.servesAtLeast("shop", "items", 4));
    assertFalse(s.servesAtLeast("other", "items", 1));
  }

  @Test
  void aReaderStateLeavesOutWhatItDoesNotHave() {
    ReaderState s = new ReaderState("reader-1", "127.0.0.1", 0, false, List.of(), null, null, null, List.of());
    JsonObject json = s.toJson();
    assertFalse(json.containsKey("refused"));
    assertFalse(json.containsKey("partitions"));
    assertFalse(json.containsKey("member"));
    assertFalse(json.containsKey("heartbeat_key"));
    ReaderState back = ReaderState.fromJson(json);
    assertNull(back.partitions(), "no partitions: all of them");
    assertEquals(s, back);
  }

  @Test
  void aMalformedReaderStateIsRefused() {
    IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
        () -> ReaderState.fromJson(new JsonObject().put("grpc_port", 1)));
    assertTrue(noId.getMessage().contains("node_id"), noId.getMessage());
    IllegalArgumentException badVersion = assertThrows(IllegalArgumentException.class, () -> ReaderState.fromJson(
        new JsonObject("{\"node_id\": \"r\", \"versions\": [{\"db\": \"shop\", \"space\": \"items\"}]}")));
    assertTrue(badVersion.getMessage().contains("without db, space or version"), badVersion.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ReaderState.fromJson(new JsonObject("{\"node_id\": \"r\", \"grpc_port\": \"9090x\"}")));
  }

  @Test
  void versionNoticesRoundTrip() {
    VersionNotice published = VersionNotice.published("shop", "items", 7, "/data/shop/items/v7");
    assertEquals(published, VersionNotice.fromJson(new JsonObject(published.toJson().encode())));
    VersionNotice dropped = VersionNotice.dropped("shop", "items");
    assertEquals(new JsonObject("{\"db\": \"shop\", \"space\": \"items\", \"dropped\": true}"), dropped.toJson());
    assertEquals(dropped, VersionNotice.fromJson(dropped.toJson()));
  }

  @Test
  void aMalformedVersionNoticeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> VersionNotice.fromJson(new JsonObject().put("db", "shop")));
    IllegalArgumentException noVersion = assertThrows(IllegalArgumentException.class,
        () -> VersionNotice.fromJson(new JsonObject().put("db", "shop").put("space", "items")));
    assertTrue(noVersion.getMessage().contains("without version"), noVersion.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> VersionNotice.fromJson(new JsonObject().put("db", "shop").put("space", 3)));
  }
}
