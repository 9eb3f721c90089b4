package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.backup.Backup;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code backup}: copies the newest published version of a space (or of the space an alias
 * serves) to a directory, verified ({@link Backup}). The version number is taken on the space's
 * lane; the copy runs on a thread of its own, so writes to the space go on meanwhile (the
 * version's files do not change; a version dropped under the copy fails it, naming the file).
 */
final class BackupRequests {

  static final Set<String> KEYS = Set.of("db", "space", "to");

  private final SpaceRegistry spaces;
  private final DataLayout layout;
  private final ExecutorService copier = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
      .name("writer-backup").factory());

  BackupRequests(SpaceRegistry spaces, DataLayout layout) {
    this.spaces = spaces;
    this.layout = layout;
  }

  CompletableFuture<WriterReply> backup(ObjectNode request) {
    StrictJson.requireOnly(request, "", KEYS);
    String db = StrictJson.string(request, "db", "", null);
    String name = StrictJson.string(request, "space", "", null);
    String toText = StrictJson.string(request, "to", "", null);
    Path to = Path.of(toText);
    if (!to.isAbsolute()) {
      throw ApiException.badRequest("to: expected an absolute directory path on the writer's host, got \"" + toText
          + "\"");
    }
    SpaceLane lane = spaces.lane(db, name);
    return lane.run(() -> lane.store.stats().version()).thenApplyAsync(version -> {
      if (version < 1) {
        throw ApiException.conflict("space_not_published", db + "/" + lane.name() + " has no published version to "
            + "back up yet");
      }
      try {
        Backup.Contents c = Backup.write(layout.versionDir(db, lane.name(), version), db, lane.name(), version,
            lane.schema.body(), to);
        ObjectNode data = Json.object();
        data.put("db", db).put("space", lane.name()).put("version", version).put("to", to.toString())
            .put("docs", c.manifest().totalCount());
        long bytes = c.manifest().partitions().stream().flatMap(p -> p.segments().stream())
            .mapToLong(f -> f.sizeBytes()).sum();
        data.put("segment_files", c.manifest().partitions().stream().mapToInt(p -> p.segments().size()).sum())
            .put("segment_bytes", bytes);
        return Json.success(data);
      } catch (ApiException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(new ApiException(500, "backup_failed", "backup of " + db + "/" + lane.name()
            + "@" + version + " to " + to + " failed: " + e));
      }
    }, copier);
  }

  void close() {
    copier.shutdownNow();
  }
}
