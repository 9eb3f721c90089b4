package io.vecgate.launcher.role;

import io.vecgate.runtime.cluster.ClusterSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --cluster-tls-cert}, {@code --cluster-tls-key} and {@code --cluster-tls-ca}: all three or none. */
public final class ClusterTlsOptions {

  private ClusterTlsOptions() {}

  /**
   * The event bus's TLS, or null when none of the three is given.
   *
   * @throws IllegalArgumentException naming what is missing or unreadable
   */
  public static ClusterSettings.EventBusTls of(Path cert, Path key, Path ca) {
    if (cert == null && key == null && ca == null) {
      return null;
    }
    if (cert == null || key == null || ca == null) {
      throw new IllegalArgumentException("--cluster-tls-cert, --cluster-tls-key, --cluster-tls-ca: give all three "
          + "(mutual TLS between the nodes), got " + (cert == null ? "" : "--cluster-tls-cert ")
          + (key == null ? "" : "--cluster-tls-key ") + (ca == null ? "" : "--cluster-tls-ca"));
    }
    for (Path p : new Path[] {cert, key, ca}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("cluster TLS: cannot read " + p);
      }
    }
    return new ClusterSettings.EventBusTls(cert, key, ca);
  }
}
