package io.vecgate.writer.rebuild.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a full rebuild reads its documents, as the {@code "source"} object of a rebuild job
 * names it: a PostgreSQL table or query, or a file ({@code .fvecs} or {@code .ndjson}).
 */
public sealed interface SourceSpec {

  /** A PostgreSQL table (optionally schema-qualified), every row of it. */
  record PostgresTable(String uri, String table) implements SourceSpec {}

  /** A PostgreSQL query whose columns are named as the space's fields (plus {@code id}). */
  record PostgresQuery(String uri, String query) implements SourceSpec {}

  /** A file of documents: TEXMEX {@code .fvecs} (the row number is the id) or NDJSON documents. */
  record File(Path path) implements SourceSpec {}

  /** A backup directory ({@code POST /_backup}): its live documents, verified against their checksums. */
  record Backup(Path path) implements SourceSpec {}

  /** A table name: an identifier, or schema.identifier; quoted as given so case is kept. */
  Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  /**
   * Parses the {@code source} object of a rebuild request.
   *
   * @param path where the object is in the request, for error messages (e.g. {@code "source"})
   */
  static SourceSpec parse(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw StrictJson.wrongType(path, "an object {\"type\": \"postgres\" | \"file\", ...}", n);
    }
    String type = StrictJson.string(n, "type", path, null);
    return switch (type) {
      case "postgres" -> {
        StrictJson.requireOnly(n, path, Set.of("type", "uri", "table", "query"));
        String uri = StrictJson.string(n, "uri", path, null);
        if (!uri.startsWith("postgresql://") && !uri.startsWith("postgres://")) {
          throw ApiException.badRequest(path + ".uri: expected postgresql://user@host:port/database, got \"" + uri + "\"");
        }
        boolean hasTable = n.has("table");
        boolean hasQuery = n.has("query");
        if (hasTable == hasQuery) {
          throw ApiException.badRequest(path + ": expected exactly one of \"table\" and \"query\", got "
              + (hasTable ? "both" : "neither"));
        }
        if (hasTable) {
          String table = StrictJson.string(n, "table", path, null);
          if (!TABLE_NAME.matcher(table).matches()) {
            throw ApiException.badRequest(path + ".table: expected a table name (letters, digits, _; optionally schema.table), got \""
                + table + "\"");
          }
          yield new PostgresTable(uri, table);
        }
        String query = StrictJson.string(n, "query", path, null).strip();
        if (query.isEmpty()) {
          throw ApiException.badRequest(path + ".query: expected a SELECT statement, got an empty string");
        }
        yield new PostgresQuery(uri, query);
      }
      case "file" -> {
        StrictJson.requireOnly(n, path, Set.of("type", "path"));
        String file = StrictJson.string(n, "path", path, null);
        if (!file.endsWith(".fvecs") && !file.endsWith(".ndjson")) {
          throw ApiException.badRequest(path + ".path: expected a .fvecs or .ndjson file, got \"" + file + "\"");
        }
        yield new File(Path.of(file));
      }
      case "backup" -> {
        StrictJson.requireOnly(n, path, Set.of("type", "path"));
        yield new Backup(Path.of(StrictJson.string(n, "path", path, null)));
      }
      default -> throw ApiException.badRequest(path + ".type: expected \"postgres\", \"file\" or \"backup\", got \""
          + type + "\"");
    };
  }
}
