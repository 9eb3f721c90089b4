package io.vecgate.launcher.bench;

import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasChange;
import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.coordination.alias.AliasTarget;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.cluster.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench aliases}: how long an alias switch takes, and how long until another node's local
 * copy has it (the notice path a gateway depends on). Two nodes in this JVM: two Hazelcast
 * members on loopback (a cluster of their own), or two Redis clients with their own
 * connections. Node A switches an alias {@code --switches} times, one after the other, each a
 * compare-and-set from the target it served; node B's change feed times its arrival.
 */
@Command(name = "aliases", mixinStandardHelpOptions = true,
    description = "Alias switch latency and propagation to a second node's local copy (hazelcast or redis).")
public final class AliasBenchCommand implements Callable<Integer> {

  @Option(names = "--alias-store", defaultValue = AliasStoreConfig.HAZELCAST,
      description = "hazelcast (two members on loopback) or redis://host:port. Default: ${DEFAULT-VALUE}")
  String store;

  @Option(names = "--switches", defaultValue = "100", description = "Switches to time. Default: ${DEFAULT-VALUE}")
  int switches;

  @Option(names = "--cluster-port", defaultValue = "0",
      description = "First Hazelcast port of the bench's own cluster (0: a random one from 20000). Default: ${DEFAULT-VALUE}")
  int clusterPort;

  @Override
  public Integer call() throws Exception {
    if (switches < 1) {
      throw new IllegalArgumentException("--switches: expected at least 1, got " + switches);
    }
    String prefix = "vecgate-bench-" + UUID.randomUUID().toString().substring(0, 8);
    AliasStoreConfig config = new AliasStoreConfig(store, prefix, 5);
    Vertx[] nodes = new Vertx[2];
    try {
      if (config.isRedis()) {
        nodes[0] = Vertx.vertx();
        nodes[1] = Vertx.vertx();
      } else {
        int port = clusterPort > 0 ? clusterPort : 20000 + ThreadLocalRandom.current().nextInt(20000);
        ClusterSettings s = new ClusterSettings("bench-" + prefix, "127.0.0.1", port, 20, List.of("127.0.0.1"));
        nodes[0] = await(ClusterBootstrap.start(s));
        nodes[1] = await(ClusterBootstrap.start(s));
      }
      AliasStore a = await(AliasStores.open(nodes[0], config));
      AliasStore b = await(AliasStores.open(nodes[1], config));
      String alias = "bench_" + prefix.substring(prefix.length() - 8);
      run(a, b, alias);
      await(a.delete(alias));
      await(a.close());
      await(b.close());
      if (config.isRedis()) {
        cleanUp(nodes[0], store, prefix);
      }
    } finally {
      for (Vertx v : nodes) {
        if (v != null) {
          await(v.close());
        }
      }
    }
    return 0;
  }

  private void run(AliasStore a, AliasStore b, String alias) throws Exception {
    AtomicReference<long[]> waiting = new AtomicReference<>();
    AtomicReference<CompletableFuture<Long>> seen = new AtomicReference<>();
    b.onChange((AliasChange c) -> {
      long now = System.nanoTime();
      long[] want = waiting.get();
      CompletableFuture<Long> f = seen.get();
      if (want != null && f != null && c.alias() != null && c.name().equals(alias) && c.revision() >= want[0]) {
        f.complete(now);
      }
    });
    AliasTarget current = new AliasTarget("bench", "v0");
    Alias created = await(a.create(alias, current));
    await(b.sync(created.revision()));
    // A few untimed switches first: connections, scripts and listeners warm up.
    int warmup = Math.min(10, switches);
    long[] ack = new long[switches];
    long[] propagation = new long[switches];
    for (int i = -warmup; i < switches; i++) {
      AliasTarget next = new AliasTarget("bench", "v" + (i + warmup + 1));
      CompletableFuture<Long> f = new CompletableFuture<>();
      seen.set(f);
      waiting.set(new long[] {created.revision() + i + warmup + 1});
      long t0 = System.nanoTime();
      Alias done = await(a.switchTo(alias, current, next));
      long t1 = System.nanoTime();
      long tSeen = f.get(30, TimeUnit.SECONDS);
      if (i >= 0) {
        ack[i] = t1 - t0;
        propagation[i] = tSeen - t0;
      }
      current = done.serving();
    }
    System.out.printf("alias store %s, %d switches (each a compare-and-set from the served target), node B's local copy%n",
        a.describe(), switches);
    print("switch acknowledged on node A", ack);
    print("switch seen by node B (from the call)", propagation);
  }

  private static void print(String what, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    System.out.printf("  %-40s p50 %.3f ms  p99 %.3f ms  max %.3f ms%n", what, pct(s, 0.50), pct(s, 0.99),
        s[s.length - 1] / 1e6);
  }

  /** Nearest-rank percentile, in ms. */
  private static double pct(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** Deletes the bench's keys (its random prefix) from Redis. */
  private static void cleanUp(Vertx vertx, String uri, String prefix) throws Exception {
    Redis r = Redis.createClient(vertx, uri);
    try {
      List<String> keys = new ArrayList<>(List.of(prefix + ":aliases", prefix + ":aliases:revision",
          prefix + ":aliases:epoch"));
      Request del = Request.cmd(io.vertx.redis.client.Command.DEL);
      keys.forEach(del::arg);
      await(r.send(del));
    } finally {
      await(r.close());
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }
}
