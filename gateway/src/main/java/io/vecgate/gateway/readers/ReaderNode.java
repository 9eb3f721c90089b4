package io.vecgate.gateway.readers;

import io.vecgate.common.rpc.Reader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reader as the gateway knows it: its last reported state, the client to it (gRPC, or the
 * reader's own service when it runs in this JVM) and the
 * number of requests outstanding on it (for least-loaded choice).
 */
final class ReaderNode {

  final String nodeId;
  final String host;
  final int port;
  final Reader client;
  final boolean inProcess;
  final AtomicInteger outstanding = new AtomicInteger();
  volatile Set<String> versions = Set.of();
  /** Partitions this reader serves, or null for all. */
  volatile Set<Integer> partitions;
  volatile boolean ready;
  volatile long lastSeenNanos;

  ReaderNode(String nodeId, String host, int port, Reader client, boolean inProcess) {
    this.nodeId = nodeId;
    this.host = host;
    this.port = port;
    this.client = client;
    this.inProcess = inProcess;
  }

  static String versionKey(String db, String space, long version) {
    return db + "/" + space + "@" + version;
  }

  boolean holds(String db, String space, long version, int partition) {
    return ready && versions.contains(versionKey(db, space, version)) && (partitions == null || partitions.contains(partition));
  }

  @Override
  public String toString() {
    return nodeId + "@" + host + ":" + port;
  }
}
