package io.vecgate.engine.vector;

import java.util.logging.Logger;

/**
 * Chooses the kernels once per JVM. The Vector API is used when the module
 * {@code jdk.incubator.vector} is present (start the JVM with
 * {@code --add-modules jdk.incubator.vector}); otherwise the scalar twin is used and one
 * warning says how to enable it. {@code -Dvecgate.vectorization=scalar} forces the scalar
 * kernels (the test suite runs once that way).
 */
public final class VectorizationProvider {

  private static final Logger LOG = Logger.getLogger(VectorizationProvider.class.getName());
  private static final VectorOps OPS = choose();

  private VectorizationProvider() {}

  /** The kernels chosen for this JVM. */
  public static VectorOps ops() {
    return OPS;
  }

  /** The scalar reference kernels, whatever this JVM chose. */
  public static VectorOps scalar() {
    return new ScalarVectorOps();
  }

  private static VectorOps choose() {
    if ("scalar".equalsIgnoreCase(System.getProperty("vecgate.vectorization", ""))) {
      return new ScalarVectorOps();
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      LOG.warning("The Vector API is not enabled, so vecgate uses its slower scalar kernels. "
          + "Start the JVM with --add-modules jdk.incubator.vector (bin/vecgate does).");
      return new ScalarVectorOps();
    }
    return new PanamaVectorOps();
  }
}
