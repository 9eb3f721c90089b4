package io.vecgate.reader.search;

import io.vecgate.reader.version.LoadedSegment;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.VersionLoader;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Warms a version before it serves: touches every mapped page, then runs warm-up queries made of
 * the version's own vectors, so the first user queries find the pages resident and the JIT warm
 * (cold indexes made the first queries slow in the recommender this service comes from).
 */
public final class Warmup {

  private static final int BATCH = 16;
  private static final int K = 10;

  private Warmup() {}

  /**
   * Warms {@code v} with {@code queries} searches over every partition (none when it is empty).
   *
   * @return the number of warm-up queries run
   */
  public static int warm(LoadedVersion v, int queries) {
    return warm(v, queries, s -> true);
  }

  /**
   * Warms only what is new in {@code v}: a version published by a refresh shares most of its
   * segments with the version before, whose pages are resident and whose code paths are compiled.
   * The pages of the {@code fresh} segments are touched; the warm-up queries (which search the
   * whole version) run only when every segment is fresh — the first version a reader loads — so a
   * reader following a refresh a second does not rescan everything each time.
   *
   * @return the number of warm-up queries run
   */
  public static int warm(LoadedVersion v, int queries, Predicate<LoadedSegment> fresh) {
    List<LoadedSegment> segs = v.allSegments().stream().filter(s -> s.size() > 0 && fresh.test(s)).toList();
    VersionLoader.touchPages(segs);
    boolean incremental = v.allSegments().stream().anyMatch(s -> s.size() > 0 && !fresh.test(s));
    if (segs.isEmpty() || queries <= 0 || incremental) {
      return 0;
    }
    // Each vector field gets its share of the queries, so every field's search path is warm.
    int fields = v.vectorFields().size();
    SplittableRandom rnd = new SplittableRandom(v.key().version());
    int done = 0;
    for (int f = 0; f < fields; f++) {
      String name = v.vectorFields().get(f).name();
      int dim = v.vectorFields().get(f).dimension();
      int wanted = (queries * (f + 1)) / fields - (queries * f) / fields;
      for (int ran = 0; ran < wanted; ) {
        int n = Math.min(BATCH, wanted - ran);
        float[] batch = new float[n * dim];
        for (int i = 0; i < n; i++) {
          LoadedSegment s = segs.get(rnd.nextInt(segs.size()));
          s.field(f).copyVector(rnd.nextInt(s.size()), batch, i * dim);
        }
        // No _source: warm-up measures nothing and needs only the engine path.
        VersionSearcher.search(SearchPlan.query(List.of(SearchPlan.FieldQuery.of(name, batch)), K)
            .withFields(List.of()).check(v));
        ran += n;
        done += n;
      }
    }
    return done;
  }
}
