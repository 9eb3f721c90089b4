package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.bench.testkit.TinyDataset;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JmhCommandTest {

  @Test
  void annotationProcessorListsEveryKernelBenchmark() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertNotNull(in, "META-INF/BenchmarkList missing: the JMH annotation processor did not run");
      String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String b : new String[] {"DistanceBenchmark", "Sq8ScanBenchmark", "PqLutScanBenchmark"}) {
        assertTrue(list.contains("io.vecgate.bench.jmh." + b), b);
      }
    }
  }

  @Test
  void jmhOptionsPassThroughPicocli() {
    assertEquals(0, TinyDataset.bench("jmh", "-l", "Distance").exitCode());
  }
}
