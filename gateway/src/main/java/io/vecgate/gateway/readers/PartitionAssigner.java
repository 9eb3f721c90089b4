package io.vecgate.gateway.readers;

import io.vecgate.gateway.readers.ReaderDirectory.Assignment;
import io.vecgate.gateway.readers.ReaderDirectory.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pure part of planning, over a list of candidate readers that {@link ReaderDirectory} has
 * already found routable: which version they cover completely, and which reader answers for each
 * partition, admitted into its queue. It holds no reader state of its own.
 */
final class PartitionAssigner {

  private final RoutingConfig routing;
  private final ReaderMetrics metrics;

  PartitionAssigner(RoutingConfig routing, ReaderMetrics metrics) {
    this.routing = routing;
    this.metrics = metrics;
  }

  /**
   * One reader per partition of {@code version}: a reader already chosen when it holds the
   * partition (as few readers as possible), else the first candidate in {@code clientType} order
   * whose queue admits the request. Either every partition is admitted or none is.
   *
   * @throws RetryLaterException 429 when the readers holding some partition are all full
   */
  Plan assign(List<ReaderNode> candidates, String db, String space, long version, List<Integer> partitions,
              String clientType) {
    order(candidates, clientType);
    Map<ReaderNode, List<Integer>> byReader = new LinkedHashMap<>();
    Map<ReaderNode, Admission> admitted = new LinkedHashMap<>();
    Set<ReaderNode> full = new HashSet<>();
    for (int p : partitions) {
      ReaderNode chosen = null;
      for (ReaderNode n : byReader.keySet()) {
        if (n.holds(db, space, version, p)) {
          chosen = n;
          break;
        }
      }
      for (int i = 0; chosen == null && i < candidates.size(); i++) {
        ReaderNode n = candidates.get(i);
        if (full.contains(n) || byReader.containsKey(n) || !n.holds(db, space, version, p)) {
          continue;
        }
        Admission a = n.queue.tryAcquire();
        if (a == null) {
          full.add(n);
        } else {
          admitted.put(n, a);
          byReader.put(n, new ArrayList<>());
          chosen = n;
        }
      }
      if (chosen == null) {
        admitted.values().forEach(Admission::ignored);
        metrics.shed(429);
        throw RetryLaterException.tooManyRequests("every reader holding partition " + p + " of " + db + "/" + space + "@"
            + version + " is at its limit of " + routing.maxOutstandingPerReader() + " outstanding requests "
            + "(reader-max-outstanding = " + routing.maxOutstandingPerReader() + "; full: "
            + full.stream().map(n -> n.nodeId).sorted().toList() + "); retry after " + routing.retryAfterSeconds() + " s",
            routing.retryAfterSeconds());
      }
      byReader.get(chosen).add(p);
    }
    List<Assignment> out = new ArrayList<>();
    byReader.forEach((n, ps) -> out.add(new Assignment(n, ps, admitted.get(n))));
    return new Plan(version, out);
  }

  private static void order(List<ReaderNode> candidates, String clientType) {
    if ("random".equals(clientType)) {
      Collections.shuffle(candidates, ThreadLocalRandom.current());
    } else if ("leader".equals(clientType)) {
      candidates.sort(Comparator.comparing(n -> n.nodeId));
    } else {
      // Least outstanding first; ties broken at random so equal readers share the load.
      Collections.shuffle(candidates, ThreadLocalRandom.current());
      candidates.sort(Comparator.comparingInt(n -> n.queue.outstanding()));
    }
  }

  /** The newest version of {@code db/space} that {@code candidates} cover completely, or -1. */
  static long newestCoveredVersion(List<ReaderNode> candidates, String db, String space, List<Integer> partitions) {
    Set<Long> versions = new HashSet<>();
    String prefix = db + "/" + space + "@";
    for (ReaderNode n : candidates) {
      for (String v : n.versions) {
        if (v.startsWith(prefix)) {
          versions.add(Long.parseLong(v.substring(prefix.length())));
        }
      }
    }
    return versions.stream().sorted(Comparator.reverseOrder())
        .filter(v -> covers(candidates, db, space, v, partitions))
        .findFirst().orElse(-1L);
  }

  /** Whether every one of {@code partitions} of {@code version} is held by some candidate. */
  static boolean covers(List<ReaderNode> candidates, String db, String space, long version, List<Integer> partitions) {
    for (int p : partitions) {
      if (candidates.stream().noneMatch(n -> n.holds(db, space, version, p))) {
        return false;
      }
    }
    return true;
  }
}
