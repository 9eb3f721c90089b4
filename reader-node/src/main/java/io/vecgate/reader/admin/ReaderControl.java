package io.vecgate.reader.admin;

import io.vecgate.reader.version.VersionKey;
import io.vertx.core.Future;
import java.util.List;

/**
 * What the admin commands may do to the versions a reader serves, implemented by the reader's
 * version lifecycle (it owns the registry and the loader). Refusals fail with an
 * {@link io.vecgate.protocol.api.ApiException}.
 */
public interface ReaderControl {

  /**
   * Maps and warms a published version and lets it serve; {@code true} when it was loaded now,
   * {@code false} when it was held already. 404 when the data directory has no such complete
   * version, 409 when the reader holds a newer version of the space (release that first).
   */
  Future<Boolean> load(VersionKey key);

  /** Stops serving a version and unmaps it once its last search ends; 404 when it is not held. */
  void release(VersionKey key);

  /**
   * Releases what the reader no longer needs: versions older than the newest it holds of their
   * space (without waiting for the grace period) and versions whose directory the writer deleted.
   *
   * @return the versions released
   */
  List<VersionKey> collectGarbage();
}
