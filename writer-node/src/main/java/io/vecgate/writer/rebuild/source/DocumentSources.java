package io.vecgate.writer.rebuild.source;

import io.vecgate.space.SpaceSchema;
import io.vertx.core.Vertx;

/** Opens the {@link DocumentSource} a {@link SourceSpec} names, for documents of one space. */
public final class DocumentSources {

  private DocumentSources() {}

  /**
   * @throws io.vecgate.protocol.api.ApiException when the spec cannot describe documents of
   *     {@code schema} (e.g. a malformed URI)
   */
  public static DocumentSource open(Vertx vertx, SpaceSchema schema, SourceSpec spec) {
    return switch (spec) {
      case SourceSpec.PostgresTable t -> new PostgresSource(vertx, schema, t);
      case SourceSpec.PostgresQuery q -> new PostgresSource(vertx, schema, q);
      case SourceSpec.File f when f.path().toString().endsWith(".fvecs") -> new FvecsSource(vertx, schema, f.path());
      case SourceSpec.File f -> new NdjsonSource(vertx, schema, f.path());
      case SourceSpec.Backup b -> new BackupSource(vertx, schema, b.path());
    };
  }
}
