package io.vecgate.launcher.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admin reader load|release|warm|state}: one reader's versions. */
@Command(name = "reader", mixinStandardHelpOptions = true, description = "Load, release or warm a version on a reader; "
    + "show what readers serve.", subcommands = CommandLine.HelpCommand.class)
final class ReaderCommands extends CommandGroup {

  @Command(name = "load", description = "Map and warm a published version on the reader; it then serves it.")
  int load(@Parameters(paramLabel = "READER") String reader,
           @Parameters(paramLabel = "DB/SPACE@VERSION", converter = VersionArg.Converter.class) VersionArg v) {
    return simple(reader, "load", v.body());
  }

  @Command(name = "release", description = "Stop serving a version on the reader and unmap it once its searches end.")
  int release(@Parameters(paramLabel = "READER") String reader,
              @Parameters(paramLabel = "DB/SPACE@VERSION", converter = VersionArg.Converter.class) VersionArg v) {
    return simple(reader, "release", v.body());
  }

  @Command(name = "warm", description = "Run simulated queries (vectors of the version itself) on a version the reader holds.")
  int warm(@Parameters(paramLabel = "READER") String reader,
           @Parameters(paramLabel = "DB/SPACE@VERSION", converter = VersionArg.Converter.class) VersionArg v,
           @Option(names = "--queries", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}") int queries) {
    if (queries < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--queries: expected at least 1, got " + queries);
    }
    return admin.run(s -> {
      JsonObject r = s.reader(reader, "warm", v.body().put("queries", queries));
      admin.answer(r, () -> reader + ": warmed " + v + " with " + r.getValue("queries")
          + " queries in " + r.getValue("millis") + " ms\n");
      return 0;
    });
  }

  @Command(name = "state", description = "What each reader (or those named) serves, maps and covers.")
  int state(@Parameters(paramLabel = "READER", arity = "0..*") List<String> readers) {
    return admin.run(s -> {
      List<String> ids = readers == null || readers.isEmpty() ? readerIds(s) : readers;
      List<JsonObject> states = new ArrayList<>();
      for (String id : ids) {
        try {
          states.add(s.reader(id, "state", new JsonObject()));
        } catch (AdminFailure e) {
          if (e.exitCode() == AdminFailure.REFUSED) {
            throw e;
          }
          states.add(new JsonObject().put("node_id", id).put("unreachable", e.getMessage()));
        }
      }
      admin.answer(new JsonObject().put("readers", new JsonArray(states)), () -> Render.readerStates(states));
      return 0;
    });
  }

  /** The readers of the node registry. */
  static List<String> readerIds(AdminSession s) throws AdminFailure {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : s.registry().entrySet()) {
      if (e.getValue().equals("reader")) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private int simple(String reader, String cmd, JsonObject body) {
    return admin.run(s -> {
      JsonObject r = s.reader(reader, cmd, body);
      admin.answer(r, () -> reader + ": " + r.getString("version") + " "
          + r.getString("result").replace('_', ' ') + "\n");
      return 0;
    });
  }
}
