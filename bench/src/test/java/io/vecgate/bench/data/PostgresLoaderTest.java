package io.vecgate.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vecgate.engine.vector.FloatVectors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link PostgresLoader} against the local PostgreSQL server (127.0.0.1:5432, database test). */
class PostgresLoaderTest {

  static final String URI = "postgresql://postgres@127.0.0.1:5432/test";

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void loadsEveryRowWithItsNumberAsIdInBothVectorTypes() throws Exception {
    Random r = new Random(5);
    try (Arena arena = Arena.ofConfined()) {
      FloatVectors v = FloatVectors.allocate(arena, 2345, 6);
      for (int i = 0; i < v.count(); i++) {
        float[] row = new float[6];
        for (int j = 0; j < 6; j++) {
          row[j] = r.nextFloat();
        }
        v.set(i, row);
      }
      Vertx vertx = Vertx.vertx();
      Pool pool = PgBuilder.pool().connectingTo(URI).using(vertx).build();
      try {
        for (PostgresLoader.VectorType type : PostgresLoader.VectorType.values()) {
          String table = "vg_load_" + type.name().toLowerCase() + "_" + Long.toHexString(System.nanoTime());
          try {
            assertEquals(2345, new PostgresLoader(URI, table, "emb", type).load(v, false, null));
            Row count = await(pool.query("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM " + table).execute())
                .iterator().next();
            assertEquals(2345L, count.getLong(0));
            assertEquals(2345L, count.getLong(1));
            assertEquals(0L, count.getLong(2));
            assertEquals(2344L, count.getLong(3));
            Row row = await(pool.query("SELECT emb FROM " + table + " WHERE id = 1717").execute()).iterator().next();
            float[] got = new float[6];
            if (type == PostgresLoader.VectorType.BYTEA) {
              Buffer b = row.getBuffer(0);
              for (int j = 0; j < 6; j++) {
                got[j] = b.getFloatLE(4 * j);
              }
            } else {
              Float[] a = row.getArrayOfFloats(0);
              for (int j = 0; j < 6; j++) {
                got[j] = a[j];
              }
            }
            assertArrayEquals(v.get(1717), got);
            // Without --replace an existing table is never overwritten.
            assertThrows(Exception.class, () -> new PostgresLoader(URI, table, "emb", type).load(v, false, null));
          } finally {
            await(pool.query("DROP TABLE IF EXISTS " + table).execute());
          }
        }
      } finally {
        await(pool.close());
        await(vertx.close());
      }
    }
  }

  @Test
  void refusesNamesThatAreNotPlainIdentifiers() {
    assertThrows(IllegalArgumentException.class,
        () -> new PostgresLoader(URI, "items; DROP TABLE x", "vec", PostgresLoader.VectorType.BYTEA));
  }
}
