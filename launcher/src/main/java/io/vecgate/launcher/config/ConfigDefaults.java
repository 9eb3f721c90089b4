package io.vecgate.launcher.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when the command line does not give it: first the
 * environment ({@code VECGATE_DATA_DIR} for {@code --data-dir}; also the short {@code READ_PORT},
 * {@code WRITE_PORT} and {@code DATA_DIR} the scripts use), then the config file (Java properties,
 * keys are option names without dashes: {@code refresh-interval=2s}), then the option's default.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

  private static final Map<String, String> SHORT_ENV = Map.of(
      "read-port", "READ_PORT", "write-port", "WRITE_PORT", "data-dir", "DATA_DIR");

  private final Map<String, String> env;
  private final Properties file;

  public ConfigDefaults(Map<String, String> env, Properties file) {
    this.env = env;
    this.file = file;
  }

  /**
   * Reads the config file named by {@code --config FILE} / {@code --config=FILE} in {@code args},
   * or by {@code VECGATE_CONFIG}; none is fine.
   *
   * @throws IOException when a named file cannot be read
   */
  public static ConfigDefaults load(String[] args, Map<String, String> env) throws IOException {
    String path = env.get("VECGATE_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        path = args[i].substring("--config=".length());
      }
    }
    Properties p = new Properties();
    if (path != null) {
      try (Reader r = Files.newBufferedReader(Path.of(path))) {
        p.load(r);
      }
    }
    return new ConfigDefaults(env, p);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || !o.longestName().startsWith("--")) {
      return null;
    }
    String name = o.longestName().substring(2);
    String envName = "VECGATE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    if (env.containsKey(envName)) {
      return env.get(envName);
    }
    String shortEnv = SHORT_ENV.get(name);
    if (shortEnv != null && env.containsKey(shortEnv)) {
      return env.get(shortEnv);
    }
    String fromFile = file.getProperty(name);
    return fromFile != null ? fromFile.trim() : null;
  }
}
