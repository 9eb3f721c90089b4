package io.vecgate.launcher.admin;

import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code admin gc}: the writer drops rebuild versions nothing needs (no alias serves, builds or
 * keeps them for rollback), then every reader releases the versions it no longer serves.
 */
@Command(name = "gc", mixinStandardHelpOptions = true, description = "Drop rebuild versions no alias serves, builds or "
    + "keeps for rollback (writer), and release superseded or deleted versions (every reader).")
final class GcCommand implements Callable<Integer> {

  @ParentCommand AdminCommand admin;

  @Override
  public Integer call() {
    return admin.run(s -> {
      JsonArray dropped = s.writer(WriterOp.GC, Map.of(), Buffer.buffer()).getJsonArray("dropped", new JsonArray());
      JsonObject readers = new JsonObject();
      StringBuilder text = new StringBuilder();
      text.append("writer: ").append(dropped.isEmpty() ? "no unused rebuild version" : "dropped " + join(dropped))
          .append('\n');
      for (String id : ReaderCommands.readerIds(s)) {
        JsonArray released;
        try {
          released = s.reader(id, "gc", new JsonObject()).getJsonArray("released", new JsonArray());
        } catch (AdminFailure e) {
          if (e.exitCode() == AdminFailure.REFUSED) {
            throw e;
          }
          readers.put(id, new JsonObject().put("unreachable", e.getMessage()));
          text.append(id).append(": unreachable: ").append(e.getMessage()).append('\n');
          continue;
        }
        readers.put(id, new JsonObject().put("released", released));
        text.append(id).append(": ").append(released.isEmpty() ? "nothing to release" : "released " + join(released))
            .append('\n');
      }
      admin.answer(new JsonObject().put("dropped", dropped).put("readers", readers), text::toString);
      return 0;
    });
  }

  private static String join(JsonArray a) {
    StringBuilder sb = new StringBuilder();
    a.forEach(o -> sb.append(sb.isEmpty() ? "" : ", ").append(o));
    return sb.toString();
  }
}
