package io.vecgate.coordination.alias.hazelcast;

import static io.vecgate.coordination.alias.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStoreContract;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTable;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.coordination.alias.testkit.Await;
import io.vecgate.coordination.alias.testkit.FreePorts;
import io.vecgate.files.JsonFileFormat;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hazelcast store on a real two-member cluster on loopback (two clustered Vert.x instances,
 * as a writer and a gateway in two processes would be): the contract, the writer's copy in its
 * data directory, and the table of a Vert.x without a cluster.
 */
class HazelcastAliasStoreTest extends AliasStoreContract {

  static Vertx[] members = new Vertx[2];

  @TempDir Path dir;

  @BeforeAll
  static void cluster() throws Exception {
    String name = "alias-test-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
    int port = FreePorts.range(20);
    ClusterSettings s = new ClusterSettings(name, "127.0.0.1", port, 20, List.of("127.0.0.1"));
    members[0] = await(ClusterBootstrap.start(s));
    members[1] = await(ClusterBootstrap.start(s));
    Await.until("two members", Duration.ofSeconds(60), () -> hazelcast(0).getCluster().getMembers().size() == 2);
  }

  @AfterAll
  static void leave() throws Exception {
    for (Vertx v : members) {
      if (v != null) {
        await(v.close());
      }
    }
  }

  static HazelcastInstance hazelcast(int node) {
    return ((HazelcastClusterManager) ((VertxInternal) members[node]).clusterManager()).getHazelcastInstance();
  }

  @Override
  protected AliasStore open(int node) throws Exception {
    return await(AliasStores.open(members[node], new AliasStoreConfig(AliasStoreConfig.HAZELCAST, "vecgate", HISTORY)));
  }

  @Override
  protected void cleanUp() {
    hazelcast(0).getMap(HazelcastSlot.MAP).clear();
  }

  @Test
  void theWritersCopyRestoresAnEmptyClusterAndKeepsEveryChange() throws Exception {
    Path file = dir.resolve("aliases.json");
    await(a.persistTo(file));
    await(a.create("live", new AliasTarget("shop", "v1")));
    await(a.switchTo("live", null, new AliasTarget("shop", "v2")));
    AliasTable saved = read(file);
    assertEquals(new AliasTarget("shop", "v2"), saved.get("live").orElseThrow().serving(),
        "written before the change is acknowledged");
    // A change made on another member (which keeps no copy) reaches the writer's copy too.
    await(b.create("other", new AliasTarget("shop", "v1")));
    Await.until("the other member's change in " + file, Duration.ofSeconds(10), () -> read(file).get("other").isPresent());

    // The whole cluster restarts: its table is gone; the writer's copy brings it back, revision included.
    long revision = read(file).revision();
    await(a.close());
    await(b.close());
    cleanUp();
    a = open(0);
    b = open(1);
    assertTrue(a.local().all().isEmpty());
    await(a.persistTo(file));
    assertEquals(new AliasTarget("shop", "v2"), a.local().resolve("live"));
    assertEquals(revision, a.local().revision());
    Await.until("the restored table on the other member", Duration.ofSeconds(10),
        () -> new AliasTarget("shop", "v2").equals(b.local().resolve("live")));
    Alias next = await(b.switchTo("live", new AliasTarget("shop", "v2"), new AliasTarget("shop", "v3")));
    assertEquals(revision + 1, next.revision(), "revisions go on from the restored one");
  }

  @Test
  void aNewerClusterTableWinsOverAnOlderCopy() throws Exception {
    Path file = dir.resolve("aliases.json");
    Files.writeString(file, AliasTable.EMPTY.create("live", new AliasTarget("shop", "old")).table().toJson(),
        StandardCharsets.UTF_8);
    // The cluster went on without this writer: it has three changes.
    await(b.create("live", new AliasTarget("shop", "v1")));
    await(b.switchTo("live", null, new AliasTarget("shop", "v2")));
    await(b.switchTo("live", null, new AliasTarget("shop", "v3")));
    await(a.persistTo(file));
    assertEquals(new AliasTarget("shop", "v3"), a.local().resolve("live"));
    assertEquals(new AliasTarget("shop", "v3"), read(file).get("live").orElseThrow().serving(), "the copy catches up");
    assertEquals(new AliasTarget("shop", "v3"), b.local().resolve("live"));
  }

  @Test
  void anUnreadableCopyFailsLoudlyAndChangesNothing() throws Exception {
    Path file = dir.resolve("aliases.json");
    Files.writeString(file, "{\"revision\": \"x\"}", StandardCharsets.UTF_8);
    await(a.create("live", new AliasTarget("shop", "v1")));
    Throwable e = Await.failure(a.persistTo(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(new AliasTarget("shop", "v1"), await(b.get("live")).orElseThrow().serving());
  }

  @Test
  void everyReleasedVersionOfTheCopyRestoresAndADamagedOneIsRefusedNamingIt() throws Exception {
    for (String name : List.of("aliases-v1.json", "aliases-v2.json")) {
      Path file = dir.resolve(name);
      try (InputStream in = getClass().getResourceAsStream("/datafiles/" + name)) {
        Files.copy(in, file);
      }
      await(a.persistTo(file));
      assertEquals(new AliasTarget("shop", "items_v2"), a.local().resolve("items"), name);
      assertEquals(2, a.local().revision(), name);
    }
    Path file = dir.resolve("damaged.json");
    byte[] bytes = Files.readAllBytes(dir.resolve("aliases-v2.json"));
    int at = new String(bytes, StandardCharsets.UTF_8).indexOf("items_v2");
    bytes[at + 7] = '3';
    Files.write(file, bytes);
    Throwable e = Await.failure(a.persistTo(file));
    assertTrue(e.getMessage().startsWith(file + ": checksum mismatch"), e.getMessage());
    Files.write(file, JsonFileFormat.encode(new JsonFileFormat.Kind(JsonFileFormat.ALIASES.name(), 3),
        AliasTable.EMPTY.toJson().getBytes(StandardCharsets.UTF_8)));
    e = Await.failure(a.persistTo(file));
    assertTrue(e.getMessage().contains("format version 3"), e.getMessage());
  }

  @Test
  void storesOnOneVertxWithoutAClusterShareOneTable() throws Exception {
    Vertx plain = Vertx.vertx();
    try {
      AliasStore one = await(AliasStores.open(plain, AliasStoreConfig.defaults()));
      AliasStore two = await(AliasStores.open(plain, AliasStoreConfig.defaults()));
      await(one.create("live", new AliasTarget("shop", "v1")));
      assertEquals(new AliasTarget("shop", "v1"), two.local().resolve("live"), "heard synchronously in one JVM");
      assertEquals(409, refusal(two.create("live", new AliasTarget("shop", "v2"))).status());
      assertTrue(two.health().connected());
      assertFalse(members[0].isClustered() == plain.isClustered());
    } finally {
      await(plain.close());
    }
  }

  private static AliasTable read(Path file) {
    try {
      return JsonFileFormat.read(file, JsonFileFormat.ALIASES, (version, body) -> AliasTable.fromJson(body, "test"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
