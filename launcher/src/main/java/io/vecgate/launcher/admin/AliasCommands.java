package io.vecgate.launcher.admin;

import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
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

  @Command(name = "switch", description = "Point an existing alias at another space in one atomic step (the old "
      + "target goes to its history).")
  int switchTo(@Parameters(paramLabel = "ALIAS") String name, @Parameters(paramLabel = "DB") String db,
               @Parameters(paramLabel = "SPACE") String space) {
    return one(WriterOp.ALIAS_SWITCH, Map.of("alias", name, "db", db, "space", space));
  }

  @Command(name = "create", description = "A new alias serving DB/SPACE.")
  int create(@Parameters(paramLabel = "ALIAS") String name, @Parameters(paramLabel = "DB") String db,
             @Parameters(paramLabel = "SPACE") String space) {
    return one(WriterOp.ALIAS_CREATE, Map.of("alias", name, "db", db, "space", space));
  }

  @Command(name = "rollback", description = "Back to the alias's previous target.")
  int rollback(@Parameters(paramLabel = "ALIAS") String name) {
    return one(WriterOp.ALIAS_ROLLBACK, Map.of("alias", name));
  }

  @Command(name = "delete", description = "Delete an alias (its spaces stay).")
  int delete(@Parameters(paramLabel = "ALIAS") String name) {
    return one(WriterOp.ALIAS_DELETE, Map.of("alias", name));
  }

  /** An operation answering one alias in {@code data}. */
  private int one(WriterOp op, Map<String, String> headers) {
    return admin.run(s -> {
      JsonObject r = s.writer(op, headers, Buffer.buffer());
      admin.answer(r, () -> Render.aliases(List.of(r.getJsonObject("data", new JsonObject()))));
      return 0;
    });
  }
}
