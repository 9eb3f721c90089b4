package io.vecgate.bench.data;

import io.vecgate.engine.vector.FloatVectors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Writes vectors into a PostgreSQL table of the shape a rebuild reads ({@code id bigint}, the
 * vector as {@code real[]} or a little-endian float32 {@code bytea}), row i with id i, in
 * batches of 1 000 rows; the primary key is added after the load, which is faster.
 */
public final class PostgresLoader {

  /** How the vector column is typed. */
  public enum VectorType { REAL_ARRAY, BYTEA }

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final int BATCH = 1000;

  private final String uri;
  private final String table;
  private final String column;
  private final VectorType type;

  public PostgresLoader(String uri, String table, String column, VectorType type) {
    for (String name : List.of(table, column)) {
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new IllegalArgumentException("expected a plain SQL identifier (letters, digits, _), got '" + name + "'");
      }
    }
    this.uri = uri;
    this.table = table;
    this.column = column;
    this.type = type;
  }

  /**
   * Creates the table ({@code replace}: dropping an existing one first) and inserts every vector.
   *
   * @return rows inserted
   */
  public long load(FloatVectors vectors, boolean replace, PrintWriter log) throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(uri).using(vertx).build();
    try {
      if (replace) {
        await(pool.query("DROP TABLE IF EXISTS " + table).execute());
      }
      String vecType = type == VectorType.BYTEA ? "bytea" : "real[]";
      await(pool.query("CREATE TABLE " + table + " (id bigint NOT NULL, " + column + " " + vecType + " NOT NULL)").execute());
      long start = System.nanoTime();
      int n = vectors.count();
      int lastStep = 0;
      // Two batches in flight: one is sent while PostgreSQL stores the other.
      Future<?> previous = Future.succeededFuture();
      for (int from = 0; from < n; from += BATCH) {
        Future<?> batch = insert(pool, vectors, from, Math.min(n, from + BATCH));
        await(previous);
        previous = batch;
        int step = (int) (10L * (from + BATCH) / n);
        if (step > lastStep && log != null) {
          lastStep = step;
          log.printf(Locale.ROOT, "postgres: %d/%d rows (%d%%)%n", Math.min(n, from + BATCH), n, step * 10);
          log.flush();
        }
      }
      await(previous);
      await(pool.query("ALTER TABLE " + table + " ADD PRIMARY KEY (id)").execute());
      if (log != null) {
        double s = (System.nanoTime() - start) / 1e9;
        log.printf(Locale.ROOT, "postgres: %d rows into %s (%s) in %.1f s (%.0f rows/s)%n", n, table, vecType, s, n / s);
        log.flush();
      }
      return n;
    } finally {
      await(pool.close());
      await(vertx.close());
    }
  }

  private Future<?> insert(Pool pool, FloatVectors vectors, int from, int to) {
    if (type == VectorType.BYTEA) {
      Long[] ids = new Long[to - from];
      Buffer[] vecs = new Buffer[to - from];
      for (int i = from; i < to; i++) {
        ids[i - from] = (long) i;
        Buffer b = Buffer.buffer(vectors.dimension() * Float.BYTES);
        for (float f : vectors.get(i)) {
          b.appendFloatLE(f);
        }
        vecs[i - from] = b;
      }
      return pool.preparedQuery("INSERT INTO " + table + " (id, " + column + ") SELECT * FROM unnest($1::bigint[], $2::bytea[])")
          .execute(Tuple.tuple().addArrayOfLong(ids).addArrayOfBuffer(vecs));
    }
    List<Tuple> rows = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      float[] v = vectors.get(i);
      Float[] boxed = new Float[v.length];
      for (int j = 0; j < v.length; j++) {
        boxed[j] = v[j];
      }
      rows.add(Tuple.tuple().addLong((long) i).addArrayOfFloat(boxed));
    }
    return pool.preparedQuery("INSERT INTO " + table + " (id, " + column + ") VALUES ($1, $2)").executeBatch(rows);
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new IllegalStateException("PostgreSQL did not answer within 10 minutes", e);
    }
  }
}
