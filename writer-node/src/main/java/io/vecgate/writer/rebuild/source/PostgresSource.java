package io.vecgate.writer.rebuild.source;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.space.Document;
import io.vecgate.space.FieldSpec;
import io.vecgate.space.SpaceSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Documents from a PostgreSQL table or query, read with a cursor inside one read-only
 * transaction (one consistent snapshot, never the whole table in memory). While the sink takes
 * a batch, the next one is already being fetched.
 */
final class PostgresSource implements DocumentSource {

  private final SpaceSchema schema;
  private final SourceSpec spec;
  private final String uri;
  private final Pool pool;

  PostgresSource(Vertx vertx, SpaceSchema schema, SourceSpec spec) {
    this.schema = schema;
    this.spec = spec;
    this.uri = switch (spec) {
      case SourceSpec.PostgresTable t -> t.uri();
      case SourceSpec.PostgresQuery q -> q.uri();
      case SourceSpec.File f -> throw new IllegalArgumentException("not a PostgreSQL source: " + f);
      case SourceSpec.Backup b -> throw new IllegalArgumentException("not a PostgreSQL source: " + b);
    };
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("source.uri: expected postgresql://user@host:port/database, got \"" + redacted(uri) + "\" ("
          + e.getMessage() + ")");
    }
    this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options)
        .using(vertx).build();
  }

  @Override
  public Future<Long> count() {
    Future<?> exists = spec instanceof SourceSpec.PostgresTable t ? tableColumns(t.table()) : Future.succeededFuture();
    return exists.compose(v -> pool.query("SELECT count(*) FROM " + from()).execute())
        .map(rows -> rows.iterator().next().getLong(0))
        .recover(this::explain);
  }

  @Override
  public Future<Long> stream(int batchSize, BatchSink sink) {
    return select().compose(sql -> pool.withTransaction(conn -> conn.query("SET TRANSACTION READ ONLY").execute()
        .compose(v -> conn.prepare(sql))
        .compose(ps -> {
          Cursor cursor = ps.cursor(Tuple.tuple());
          return new Pump(cursor, sink, batchSize).start().eventually(cursor::close);
        }))).recover(this::explain);
  }

  /** Reads batch n+1 while the sink takes batch n. */
  private final class Pump {
    private final Cursor cursor;
    private final BatchSink sink;
    private final int batchSize;
    private RowDecoder decoder;
    private long delivered;

    Pump(Cursor cursor, BatchSink sink, int batchSize) {
      this.cursor = cursor;
      this.sink = sink;
      this.batchSize = batchSize;
    }

    Future<Long> start() {
      return cursor.read(batchSize).compose(this::take);
    }

    private Future<Long> take(RowSet<Row> rows) {
      List<Document> batch;
      try {
        if (decoder == null) {
          decoder = RowDecoder.plan(schema, rows.columnsNames());
        }
        batch = new ArrayList<>(rows.size());
        for (Row row : rows) {
          batch.add(decoder.decode(row, delivered + batch.size() + 1));
        }
      } catch (ApiException e) {
        return Future.failedFuture(e);
      }
      Future<RowSet<Row>> next = cursor.hasMore() ? cursor.read(batchSize) : null;
      Future<Void> taken = batch.isEmpty() ? Future.succeededFuture() : SinkFailure.mark(sink.accept(batch));
      return taken.compose(v -> {
        delivered += batch.size();
        return next == null ? Future.succeededFuture(delivered) : next.compose(this::take);
      });
    }
  }

  /** The SELECT to stream: the query as given, or the table's id and field columns. */
  private Future<String> select() {
    return switch (spec) {
      case SourceSpec.PostgresQuery q -> Future.succeededFuture(q.query());
      case SourceSpec.PostgresTable t -> tableColumns(t.table()).map(cols -> {
        List<String> wanted = new ArrayList<>();
        for (String c : cols) {
          FieldSpec f = schema.field(c);
          if (c.equals("id") || c.equals("_id") || f != null) {
            wanted.add(quote(c));
          }
        }
        return "SELECT " + String.join(", ", wanted) + " FROM " + from();
      });
      case SourceSpec.File f -> throw new IllegalStateException("not a PostgreSQL source: " + f);
      case SourceSpec.Backup b -> throw new IllegalStateException("not a PostgreSQL source: " + b);
    };
  }

  private Future<List<String>> tableColumns(String table) {
    int dot = table.indexOf('.');
    String schemaName = dot < 0 ? null : table.substring(0, dot);
    String name = dot < 0 ? table : table.substring(dot + 1);
    return pool.preparedQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = "
            + "coalesce($1, current_schema()) AND table_name = $2 ORDER BY ordinal_position")
        .execute(Tuple.of(schemaName, name))
        .map(rows -> {
          List<String> cols = new ArrayList<>();
          rows.forEach(r -> cols.add(r.getString(0)));
          if (cols.isEmpty()) {
            throw ApiException.badRequest("source.table: no table \"" + table + "\" in " + redacted(uri));
          }
          return cols;
        });
  }

  private String from() {
    return switch (spec) {
      case SourceSpec.PostgresTable t -> quoteTable(t.table());
      case SourceSpec.PostgresQuery q -> "(" + q.query() + ") AS vecgate_source";
      case SourceSpec.File f -> throw new IllegalStateException("not a PostgreSQL source: " + f);
      case SourceSpec.Backup b -> throw new IllegalStateException("not a PostgreSQL source: " + b);
    };
  }

  private static String quoteTable(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
  }

  /** Names were checked against {@link SourceSpec#TABLE_NAME} or come from the catalog. */
  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** PostgreSQL's refusals are the caller's (400); an unreachable server is a 503. */
  private <T> Future<T> explain(Throwable e) {
    if (SinkFailure.unwrap(e) != null) {
      return Future.failedFuture(SinkFailure.unwrap(e));
    }
    if (e instanceof ApiException) {
      return Future.failedFuture(e);
    }
    if (e instanceof PgException pg) {
      String what = spec instanceof SourceSpec.PostgresQuery ? "source.query" : "source.table";
      return Future.failedFuture(ApiException.badRequest(what + ": PostgreSQL refused it: " + pg.getErrorMessage()
          + " (SQLSTATE " + pg.getSqlState() + ")"));
    }
    return Future.failedFuture(ApiException.unavailable("source: cannot read from " + redacted(uri) + ": "
        + e.getMessage()));
  }

  /** The URI without its password, for messages. */
  static String redacted(String uri) {
    return uri.replaceFirst("^(postgres(?:ql)?://[^:@/]*):[^@/]*@", "$1:***@");
  }

  @Override
  public void close() {
    pool.close();
  }
}
