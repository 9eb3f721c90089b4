package io.vecgate.launcher.admin;

import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code admin backup}: the writer copies the newest published version of a space (or of the
 * space an alias serves) to a new directory on its host and verifies it (docs/api.md, "Backup
 * and restore"); {@code admin restore} brings it back.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Copy the version a space or alias serves to "
    + "a new directory on the writer's host (a shared mount, say), verified against its checksums.")
final class BackupCommand implements Callable<Integer> {

  @ParentCommand AdminCommand admin;

  @Option(names = "--db", required = true, description = "The db") String db;

  @Option(names = {"--alias", "--space"}, required = true, description = "An alias, or a space of the db")
  String space;

  @Option(names = "--to", required = true, description = "A new (or empty) directory, absolute, on the writer's host")
  String to;

  @Override
  public Integer call() {
    JsonObject request = new JsonObject().put("db", db).put("space", space).put("to", to);
    return admin.run(s -> {
      JsonObject r = s.writer(WriterOp.BACKUP, Map.of(), Buffer.buffer(request.encode()));
      JsonObject d = r.containsKey("data") ? r.getJsonObject("data") : r;
      admin.answer(d, () -> "backed up " + d.getString("db") + "/" + d.getString("space") + "@" + d.getLong("version")
          + " (" + d.getLong("docs") + " documents, " + d.getInteger("segment_files") + " segment files, "
          + d.getLong("segment_bytes") + " bytes) to " + d.getString("to") + ", verified\n");
      return 0;
    });
  }
}
