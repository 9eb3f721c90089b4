package io.vecgate.launcher.log;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Sets up logging for a role: JSON lines (default) or plain text on stderr, quieter third-party loggers. */
public final class Logs {

  private Logs() {}

  public static void setUp(String node, String format, String level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler h = new ConsoleHandler();
    Formatter f = format.equals("text") ? new SimpleFormatter() : new JsonLogFormatter(node);
    h.setFormatter(f);
    Level l = Level.parse(level.toUpperCase(java.util.Locale.ROOT));
    h.setLevel(l);
    root.addHandler(h);
    root.setLevel(l);
    // Hazelcast is chatty at INFO (member lists, partition tables): warnings only.
    Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }
}
