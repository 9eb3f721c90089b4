package io.vecgate.coordination.alias.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers a test starts in another process (a vecgate role, a
 * redis-server). They come from below Linux's ephemeral range (32768-60999): a port the kernel
 * hands out with {@code bind(0)} is also what it gives outgoing connections, so between the test
 * choosing it and the server binding it, any connection on the machine (a Hazelcast join probe, a
 * Redis client) may take it and the server dies with "address in use". Ports already given to
 * this JVM's tests are not given again.
 */
public final class FreePorts {

  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** One free port. */
  public static int tcp() {
    return range(1);
  }

  /** The first of {@code count} consecutive free ports (Hazelcast tries its port and the next ones). */
  public static int range(int count) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int base = LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW - count);
      if (allFree(base, count)) {
        for (int p = base; p < base + count; p++) {
          GIVEN.add(p);
        }
        return base;
      }
    }
    throw new UncheckedIOException(new IOException("no " + count + " free ports between " + LOW + " and " + HIGH));
  }

  private static boolean allFree(int base, int count) {
    for (int p = base; p < base + count; p++) {
      if (GIVEN.contains(p) || !bindable(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
