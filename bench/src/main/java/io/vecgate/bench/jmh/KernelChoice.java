package io.vecgate.bench.jmh;

import io.vecgate.engine.vector.VectorOps;
import io.vecgate.engine.vector.VectorizationProvider;

/** Maps the {@code impl} benchmark parameter to kernels: the JVM's choice or the scalar twin. */
final class KernelChoice {

  private KernelChoice() {}

  static VectorOps of(String impl) {
    return switch (impl) {
      case "default" -> VectorizationProvider.ops();
      case "scalar" -> VectorizationProvider.scalar();
      default -> throw new IllegalArgumentException("impl must be default or scalar, got " + impl);
    };
  }
}
