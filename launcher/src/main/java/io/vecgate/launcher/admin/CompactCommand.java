package io.vecgate.launcher.admin;

import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code admin compact DB SPACE}: seal, and compact every partition into one indexed segment (as
 * {@code _forcemerge}).
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
    description = "Seal a space and compact each partition into one segment with the space's index, now.")
final class CompactCommand implements Callable<Integer> {

  @ParentCommand AdminCommand admin;
  @Parameters(index = "0", paramLabel = "DB") String db;
  @Parameters(index = "1", paramLabel = "SPACE") String space;

  @Override
  public Integer call() {
    return admin.run(s -> {
      JsonObject r = s.writer(WriterOp.SPACE_COMPACT, Map.of("db", db, "space", space), Buffer.buffer());
      JsonObject d = r.getJsonObject("data", new JsonObject());
      admin.answer(r, () -> db + "/" + d.getString("name", space) + ": compacting (version "
          + d.getValue("version") + ", index_state " + d.getString("index_state") + ", index_build "
          + d.getString("index_build") + "); `vecgate admin spaces` shows when it is indexed\n");
      return 0;
    });
  }
}
