package io.vecgate.launcher.admin;

import io.vecgate.protocol.writer.WriterOp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code admin restore}: with {@code --alias}, a rebuild whose source is a backup directory (the
 * backup is verified whole in the job's pre-check, its documents are loaded into a new version of
 * the space, and the alias switches once the readers serve it; followed as {@code rebuild start}
 * follows a job). Without, the backup is published as the new space {@code --space}, no alias
 * involved. Either way a damaged backup is refused naming the file, and nothing changes.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a backup as a new version of its "
    + "space (a rebuild from the backup), and switch the alias to it once the readers serve it.")
final class RestoreCommand implements Callable<Integer> {

  @ParentCommand AdminCommand admin;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, description = "The backup directory, on the writer's host") String from;

  @Option(names = "--db", required = true, description = "The db to restore into") String db;

  @Option(names = "--alias", description = "The alias to switch to the restored version once the readers serve "
      + "it (a rebuild from the backup; created by the first restore). Without: the backup becomes the space --space.")
  String alias;

  @Option(names = "--space", description = "With --alias: the name prefix of the restored versions (NAME_v1, ...; "
      + "default: the backed-up space's). Without: the new space's name (required).")
  String space;

  @Option(names = "--no-follow", description = "Print the started job and return at once.") boolean noFollow;

  @Option(names = "--poll", defaultValue = "500", description = "Milliseconds between looks at the job. "
      + "Default: ${DEFAULT-VALUE}") long pollMillis;

  @Override
  public Integer call() {
    if (pollMillis < 50) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--poll: expected at least 50 ms, got " + pollMillis);
    }
    if (alias == null) {
      if (space == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--space: required without --alias (the name of "
            + "the new space the backup becomes)");
      }
      JsonObject request = new JsonObject().put("from", from).put("db", db).put("space", space);
      return admin.run(s -> {
        JsonObject r = s.writer(WriterOp.RESTORE, Map.of(), Buffer.buffer(request.encode()));
        JsonObject d = r.containsKey("data") ? r.getJsonObject("data") : r;
        admin.answer(d, () -> "restored " + from + " as " + d.getString("db") + "/" + d.getString("space") + "@"
            + d.getLong("version") + " (" + d.getLong("docs") + " documents)\n");
        return 0;
      });
    }
    JsonObject job = new JsonObject().put("db", db).put("alias", alias)
        .put("source", new JsonObject().put("type", "backup").put("path", from));
    if (space != null) {
      job.put("space", new JsonObject().put("name", space));
    }
    return RebuildCommands.startJob(admin, job.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8), noFollow,
        pollMillis);
  }
}
