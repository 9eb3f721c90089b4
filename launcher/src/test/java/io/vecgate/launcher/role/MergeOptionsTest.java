package io.vecgate.launcher.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vecgate.launcher.config.ConfigDefaults;
import io.vecgate.reader.search.merge.MergeSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The query-merging options of the reader and standalone roles, from every source, and their checks. */
class MergeOptionsTest {

  static MergeSettings reader(Map<String, String> env, Properties file, String... args) {
    ReaderCommand cmd = new ReaderCommand();
    new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults(env, file)).parseArgs(args);
    return cmd.reader.mergeSettings();
  }

  static MergeSettings standalone(String... args) {
    StandaloneCommand cmd = new StandaloneCommand();
    new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults(Map.of(), new Properties())).parseArgs(args);
    return cmd.reader.mergeSettings();
  }

  @Test
  void mergingIsOnByDefaultWithTheDesignsLimits() {
    assertEquals(MergeSettings.DEFAULTS, reader(Map.of(), new Properties()));
    assertEquals(MergeSettings.DEFAULTS, standalone());
  }

  @Test
  void readsTheCommandLineThenTheEnvironmentThenTheFile() {
    Properties file = new Properties();
    file.setProperty("query-merge", "off");
    file.setProperty("merge-max-queries", "64");
    file.setProperty("merge-wait", "1ms");
    MergeSettings s = reader(Map.of("VECGATE_MERGE_MAX_QUERIES", "32"), file, "--merge-max-k-spread", "50");
    assertFalse(s.enabled(), "from the file");
    assertEquals(32, s.maxQueries(), "the environment wins over the file");
    assertEquals(50, s.maxKSpread());
    assertEquals(Duration.ofMillis(1), s.maxWait());
    assertFalse(standalone("--query-merge", "off").enabled());
  }

  @Test
  void refusesValuesOutOfRangeNamingTheOption() {
    assertEquals("--query-merge: expected on or off, got 'maybe'", assertThrows(IllegalArgumentException.class,
        () -> standalone("--query-merge", "maybe")).getMessage());
    assertEquals("--merge-max-queries: expected 1 to 10000, got 0", assertThrows(IllegalArgumentException.class,
        () -> standalone("--merge-max-queries", "0")).getMessage());
    assertEquals("--merge-max-k-spread: expected at least 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> standalone("--merge-max-k-spread", "-1")).getMessage());
    assertEquals("--merge-wait: expected 0ms to 1000ms, got 2000ms", assertThrows(IllegalArgumentException.class,
        () -> standalone("--merge-wait", "2s")).getMessage());
  }
}
