package io.vecgate.launcher.admin;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code admin restore}: a rebuild whose source is a backup directory. The backup is verified
 * whole in the job's pre-check (a damaged one fails naming the file, and nothing changes), its
 * documents are loaded into a new version of the space, and the alias switches once the readers
 * serve it. Followed as {@code rebuild start} follows a job.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a backup as a new version of its "
    + "space (a rebuild from the backup), and switch the alias to it once the readers serve it.")
final class RestoreCommand implements Callable<Integer> {

  @ParentCommand AdminCommand admin;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, description = "The backup directory, on the writer's host") String from;

  @Option(names = "--db", required = true, description = "The db to restore into") String db;

  @Option(names = "--alias", required = true, description = "The alias that serves the restored version "
      + "(created by the first restore). A restore is a rebuild, and a rebuild switches an alias.")
  String alias;

  @Option(names = "--space", description = "The name prefix of the restored space (its versions are NAME_v1, ...). "
      + "Default: the backed-up space's")
  String space;

  @Option(names = "--no-follow", description = "Print the started job and return at once.") boolean noFollow;

  @Option(names = "--poll", defaultValue = "500", description = "Milliseconds between looks at the job. "
      + "Default: ${DEFAULT-VALUE}") long pollMillis;

  @Override
  public Integer call() {
    if (pollMillis < 50) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--poll: expected at least 50 ms, got " + pollMillis);
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
