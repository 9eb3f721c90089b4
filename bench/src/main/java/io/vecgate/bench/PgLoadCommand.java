package io.vecgate.bench;

import io.vecgate.bench.data.PostgresLoader;
import io.vecgate.bench.data.Texmex;
import io.vecgate.engine.vector.FloatVectors;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench pgload}: loads an {@code .fvecs} file into a PostgreSQL table a rebuild can read
 * (row i gets id i, as {@code bench ingest} numbers them, so the file's ground truth applies).
 */
@Command(name = "pgload", mixinStandardHelpOptions = true,
    description = "Load an .fvecs file into a PostgreSQL table (id bigint, vector real[] or bytea) for rebuilds.")
public final class PgLoadCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--base", required = true, description = "Vectors (.fvecs)") Path base;
  @Option(names = "--limit", defaultValue = "0", description = "Load only the first N rows (0: all)") int limit;
  @Option(names = "--to-postgres", required = true, description = "postgresql://user@host:port/database") String uri;
  @Option(names = "--table", defaultValue = "items", description = "Table (default: ${DEFAULT-VALUE})") String table;
  @Option(names = "--column", defaultValue = "vec", description = "Vector column, named as the space's vector field (default: ${DEFAULT-VALUE})")
  String column;
  @Option(names = "--vector-type", defaultValue = "REAL_ARRAY", description = "REAL_ARRAY or BYTEA (default: ${DEFAULT-VALUE})")
  PostgresLoader.VectorType vectorType;
  @Option(names = "--replace", description = "Drop the table first if it exists") boolean replace;

  @Override
  public Integer call() throws Exception {
    try (Arena arena = Arena.ofShared()) {
      FloatVectors vectors = Texmex.readFvecs(base, limit, arena);
      new PostgresLoader(uri, table, column, vectorType).load(vectors, replace, spec.commandLine().getOut());
    }
    return 0;
  }
}
