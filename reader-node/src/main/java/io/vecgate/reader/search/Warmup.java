package io.vecgate.reader.search;

import io.vecgate.reader.version.LoadedSegment;
import io.vecgate.reader.version.LoadedVersion;
import io.vecgate.reader.version.VersionLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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
   * Warms {@code v} with {@code queries} searches over every partition (fewer when the version
   * has fewer documents than that; none when it is empty).
   *
   * @return the number of warm-up queries run
   */
  public static int warm(LoadedVersion v, int queries) {
    VersionLoader.touchPages(v);
    List<LoadedSegment> segs = v.allSegments().stream().filter(s -> s.size() > 0).toList();
    if (segs.isEmpty() || queries <= 0) {
      return 0;
    }
    int dim = v.dimension();
    SplittableRandom rnd = new SplittableRandom(v.key().version());
    int done = 0;
    while (done < queries) {
      int n = Math.min(BATCH, queries - done);
      float[] batch = new float[n * dim];
      for (int i = 0; i < n; i++) {
        LoadedSegment s = segs.get(rnd.nextInt(segs.size()));
        s.reader().index().vectors().copyTo(rnd.nextInt(s.size()), batch, i * dim);
      }
      // No _source: warm-up measures nothing and needs only the engine path.
      VersionSearcher.search(v, SearchQuery.of(batch, K).withFields(new ArrayList<>()));
      done += n;
    }
    return done;
  }
}
