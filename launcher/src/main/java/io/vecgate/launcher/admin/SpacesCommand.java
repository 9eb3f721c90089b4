package io.vecgate.launcher.admin;

import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code admin spaces}: every db and space with versions, counts, index state and the aliases serving it. */
@Command(name = "spaces", mixinStandardHelpOptions = true,
    description = "List dbs and spaces: newest version, versions kept, documents, index state, aliases.")
final class SpacesCommand implements Callable<Integer> {

  @ParentCommand AdminCommand admin;

  @Override
  public Integer call() {
    return admin.run(s -> {
      List<JsonObject> spaces = new ArrayList<>();
      List<String> empty = new ArrayList<>();
      for (Object o : s.writer(WriterOp.DB_LIST, Map.of(), Buffer.buffer()).getJsonArray("data", new JsonArray())) {
        String db = ((JsonObject) o).getString("name");
        JsonArray list = s.writer(WriterOp.SPACE_LIST, Map.of("db", db), Buffer.buffer()).getJsonArray("data", new JsonArray());
        list.forEach(x -> spaces.add((JsonObject) x));
        if (list.isEmpty()) {
          empty.add(db);
        }
      }
      List<JsonObject> aliases = new ArrayList<>();
      s.writer(WriterOp.ALIAS_LIST, Map.of(), Buffer.buffer()).getJsonArray("data", new JsonArray())
          .forEach(x -> aliases.add((JsonObject) x));
      admin.answer(new JsonObject().put("spaces", new JsonArray(spaces)).put("empty_dbs", new JsonArray(empty))
          .put("aliases", new JsonArray(aliases)), () -> Render.spaces(spaces, aliases, empty));
      return 0;
    });
  }
}
