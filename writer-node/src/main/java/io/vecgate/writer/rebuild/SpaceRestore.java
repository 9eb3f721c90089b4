package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.writer.backup.Backup;
import io.vecgate.writer.rebuild.source.DocumentSource;
import io.vecgate.writer.rebuild.source.DocumentSources;
import io.vecgate.writer.rebuild.source.SourceSpec;
import io.vecgate.writer.service.WriterReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code restore}: a backup published as a new space of its own name, no alias involved (a
 * restore that switches an alias is a rebuild from the backup). The backup is verified whole
 * first, so a damaged one is refused naming the file before anything is created; the space is
 * then created with the backup's definition, loaded with its live documents, built and published,
 * and dropped again if any of that fails.
 */
final class SpaceRestore {

  static final Set<String> KEYS = Set.of("from", "db", "space");

  private final Vertx vertx;
  private final RebuildTarget target;
  private final int batchSize;

  SpaceRestore(Vertx vertx, RebuildTarget target, int batchSize) {
    this.vertx = vertx;
    this.target = target;
    this.batchSize = batchSize;
  }

  /** Answers {@code {"db", "space", "version", "docs"}} once the space is published. */
  Future<WriterReply> restore(ObjectNode request) {
    StrictJson.requireOnly(request, "", KEYS);
    String db = SpaceSchemas.checkName("db", StrictJson.string(request, "db", "", null));
    String space = SpaceSchemas.checkName("space", StrictJson.string(request, "space", "", null));
    Path from = Path.of(StrictJson.string(request, "from", "", null));
    ObjectNode body = Backup.spaceBody(from);
    body.put("name", space);
    SpaceSchema schema = SpaceSchemas.parse(db, body);
    DocumentSource source = DocumentSources.open(vertx, schema, new SourceSpec.Backup(from));
    return source.count()
        .compose(docs -> target.spaces(db).compose(names -> {
          if (names.contains(space)) {
            return Future.failedFuture(ApiException.conflict("space_exists_exception", "space: " + db + "/" + space
                + " exists; a restore makes a new space"));
          }
          return target.create(db, body).compose(created -> source.stream(batchSize, b -> target.load(db, space, b))
              .compose(loaded -> target.publish(db, space, () -> false))
              .recover(e -> target.drop(db, space).transform(ignored -> Future.<Long>failedFuture(e))))
              .map(version -> {
                ObjectNode reply = StrictJson.MAPPER.createObjectNode().put("code", 0).put("msg", "success");
                reply.putObject("data").put("db", db).put("space", space).put("version", version).put("docs", docs);
                return WriterReply.of(200, reply);
              });
        }))
        .onComplete(ar -> source.close());
  }
}
