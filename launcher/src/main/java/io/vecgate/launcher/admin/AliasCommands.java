package io.vecgate.launcher.admin;

import io.vecgate.launcher.config.Durations;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.protocol.writer.WriterHeaders;
import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admin alias show|list|switch|rollback|create|delete}: the writer's alias operations. */
@Command(name = "alias", mixinStandardHelpOptions = true, description = "Show, list, switch, roll back, create or delete aliases.",
    subcommands = CommandLine.HelpCommand.class)
final class AliasCommands extends CommandGroup {

  @Command(name = "show", description = "An alias: serving target, building target, history.")
  int show(@Parameters(paramLabel = "ALIAS") String name) {
    return one(WriterOp.ALIAS_GET, Map.of("alias", name));
  }

  @Command(name = "list", description = "Every alias.")
  int list() {
    return admin.run(s -> {
      JsonObject r = s.writer(WriterOp.ALIAS_LIST, Map.of(), Buffer.buffer());
      List<JsonObject> all = new ArrayList<>();
      r.getJsonArray("data", new JsonArray()).forEach(o -> all.add((JsonObject) o));
      admin.answer(r, () -> Render.aliases(all));
      return 0;
    });
  }

  /**
   * {@code --wait[=DURATION]} and {@code --force} of a switch or rollback: the writer refuses one
   * whose target a live reader has not loaded and warmed yet, unless it may wait or force.
   */
  static final class Guard {
    @Option(names = "--wait", arity = "0..1", fallbackValue = "30s", converter = Durations.class, paramLabel = "DURATION",
        description = "Wait until every live reader serving the alias's partitions has loaded and warmed the target "
            + "(default 30s when given without a value); refused (409) if they have not by then.")
    Duration waitFor;

    @Option(names = "--force", description = "Switch even though readers have not loaded and warmed the target "
        + "(the writer logs a WARNING naming them).")
    boolean force;

    /** The route headers plus {@code q.wait} / {@code q.force}, as the gateway sends the URL parameters. */
    Map<String, String> headers(Map<String, String> route) {
      Map<String, String> h = new HashMap<>(route);
      if (waitFor != null) {
        h.put(WriterHeaders.QUERY_PREFIX + SwitchGuard.WAIT, waitFor.toMillis() + "ms");
      }
      if (force) {
        h.put(WriterHeaders.QUERY_PREFIX + SwitchGuard.FORCE, "true");
      }
      return h;
    }

    Duration longer() {
      return waitFor == null ? Duration.ZERO : waitFor;
    }
  }

  @Command(name = "switch", description = "Point an existing alias at another space in one atomic step (the old "
      + "target goes to its history), once every live reader serves the space (see --wait, --force).")
  int switchTo(@Parameters(paramLabel = "ALIAS") String name, @Parameters(paramLabel = "DB") String db,
               @Parameters(paramLabel = "SPACE") String space, @Mixin Guard guard) {
    return one(WriterOp.ALIAS_SWITCH, guard.headers(Map.of("alias", name, "db", db, "space", space)), guard.longer());
  }

  @Command(name = "create", description = "A new alias serving DB/SPACE.")
  int create(@Parameters(paramLabel = "ALIAS") String name, @Parameters(paramLabel = "DB") String db,
             @Parameters(paramLabel = "SPACE") String space) {
    return one(WriterOp.ALIAS_CREATE, Map.of("alias", name, "db", db, "space", space));
  }

  @Command(name = "rollback", description = "Back to the alias's previous target, once every live reader serves it "
      + "(see --wait, --force).")
  int rollback(@Parameters(paramLabel = "ALIAS") String name, @Mixin Guard guard) {
    return one(WriterOp.ALIAS_ROLLBACK, guard.headers(Map.of("alias", name)), guard.longer());
  }

  @Command(name = "delete", description = "Delete an alias (its spaces stay).")
  int delete(@Parameters(paramLabel = "ALIAS") String name) {
    return one(WriterOp.ALIAS_DELETE, Map.of("alias", name));
  }

  /** An operation answering one alias in {@code data}. */
  private int one(WriterOp op, Map<String, String> headers) {
    return one(op, headers, Duration.ZERO);
  }

  /** As {@link #one(WriterOp, Map)}, for an operation that may wait {@code longer} than the timeout. */
  private int one(WriterOp op, Map<String, String> headers, Duration longer) {
    return admin.run(s -> {
      JsonObject r = s.writer(op, headers, Buffer.buffer(), longer);
      admin.answer(r, () -> Render.aliases(List.of(r.getJsonObject("data", new JsonObject()))));
      return 0;
    });
  }
}
