package io.vecgate.engine.column;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.engine.flat.FlatIndex;
import io.vecgate.engine.index.BuiltIndex;
import io.vecgate.engine.index.IndexParams;
import io.vecgate.engine.search.FixedBitSet;
import io.vecgate.engine.segment.SegmentReader;
import io.vecgate.engine.segment.SegmentWriter;
import io.vecgate.engine.vector.FloatVectors;
import io.vecgate.engine.vector.Metric;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters over mapped columns against a naive oracle over the input values. */
class FiltersTest {

  private static final long SEED = Long.getLong("vecgate.seed", new Random().nextLong());
  private static final String[] WORDS = {"", "red", "green", "blue", "é", "中文"};
  private static final long[] LONG_EDGES = {Long.MIN_VALUE, -1, 0, 1, 7, Long.MAX_VALUE};

  @TempDir
  Path dir;

  private final Random rnd = new Random(SEED);
  private int n;
  private int[] order;
  private int[] ints;
  private long[] longs;
  private float[] floats;
  private double[] doubles;
  private String[] words;
  private SegmentReader reader;

  @BeforeAll
  static void printSeed() {
    System.out.println("FiltersTest seed " + SEED + " (replay with -Dvecgate.seed=" + SEED + ")");
  }

  @BeforeEach
  void writeAndOpen() throws IOException {
    n = 300 + rnd.nextInt(200);
    order = BuiltIndex.identity(n);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    ints = new int[n];
    longs = new long[n];
    floats = new float[n];
    doubles = new double[n];
    words = new String[n];
    for (int i = 0; i < n; i++) {
      ints[i] = rnd.nextInt(7) == 0 ? (rnd.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE) : rnd.nextInt(21) - 10;
      longs[i] = rnd.nextInt(5) == 0 ? LONG_EDGES[rnd.nextInt(LONG_EDGES.length)] : rnd.nextInt(21) - 10;
      floats[i] = rnd.nextInt(20) == 0 ? Float.NaN : (rnd.nextInt(21) - 10) / 2f;
      doubles[i] = rnd.nextInt(20) == 0 ? Double.NaN : (rnd.nextInt(21) - 10) / 4.0;
      words[i] = WORDS[rnd.nextInt(WORDS.length)];
    }
    try (Arena arena = Arena.ofConfined()) {
      FloatVectors v = FloatVectors.allocate(arena, n, 2);
      BuiltIndex built = new BuiltIndex(new FlatIndex(Metric.L2, v, IndexParams.empty()), order);
      SegmentWriter.write(dir.resolve("f.seg"), built, new long[n], List.of(
          ColumnValues.ofInts("i", ints), ColumnValues.ofLongs("l", longs), ColumnValues.ofFloats("f", floats),
          ColumnValues.ofDoubles("d", doubles), ColumnValues.ofKeywords("k", words)));
    }
    reader = SegmentReader.open(dir.resolve("f.seg"));
  }

  @AfterEach
  void close() {
    reader.close();
  }

  /** The set of ordinals whose input row satisfies {@code rowTest}. */
  private FixedBitSet oracle(IntPredicate rowTest) {
    FixedBitSet out = new FixedBitSet(n);
    for (int o = 0; o < n; o++) {
      if (rowTest.test(order[o])) {
        out.set(o);
      }
    }
    return out;
  }

  private Number randomBound() {
    return switch (rnd.nextInt(7)) {
      case 0 -> rnd.nextInt(25) - 12;
      case 1 -> (long) (rnd.nextInt(25) - 12);
      case 2 -> (rnd.nextInt(49) - 24) / 2.0;
      case 3 -> (rnd.nextInt(49) - 24) / 4.0f;
      case 4 -> LONG_EDGES[rnd.nextInt(LONG_EDGES.length)];
      case 5 -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e19, -1e19, 0x1p63}[rnd.nextInt(5)];
      default -> rnd.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    };
  }

  private Range randomRange() {
    Range r = Range.all();
    if (rnd.nextInt(4) > 0) {
      r = rnd.nextBoolean() ? r.gt(randomBound()) : r.gte(randomBound());
    }
    if (rnd.nextInt(4) > 0) {
      r = rnd.nextBoolean() ? r.lt(randomBound()) : r.lte(randomBound());
    }
    return r;
  }

  /** Sign of {@code v - b}, exactly (BigDecimal), infinities included. */
  private static int compareExact(long v, Number b) {
    if (b instanceof Double || b instanceof Float) {
      double d = b.doubleValue();
      if (Double.isInfinite(d)) {
        return d > 0 ? -1 : 1;
      }
      return new BigDecimal(v).compareTo(new BigDecimal(d));
    }
    return Long.compare(v, b.longValue());
  }

  private static boolean exactInRange(long v, Range r) {
    if (r.lower() != null) {
      int c = compareExact(v, r.lower());
      if (r.lowerInclusive() ? c < 0 : c <= 0) {
        return false;
      }
    }
    if (r.upper() != null) {
      int c = compareExact(v, r.upper());
      return r.upperInclusive() ? c <= 0 : c < 0;
    }
    return true;
  }

  private static boolean doubleInRange(double v, Range r) {
    if (Double.isNaN(v)) {
      return false;
    }
    boolean lo = r.lower() == null || (r.lowerInclusive() ? v >= r.lower().doubleValue() : v > r.lower().doubleValue());
    boolean hi = r.upper() == null || (r.upperInclusive() ? v <= r.upper().doubleValue() : v < r.upper().doubleValue());
    return lo && hi;
  }

  @Test
  void rangeMatchesTheOracleOnEveryNumericColumn() {
    for (int round = 0; round < 400; round++) {
      Range r = randomRange();
      String ctx = r + " seed " + SEED;
      assertEquals(oracle(row -> exactInRange(ints[row], r)), Filters.range(reader.column("i"), r), "int " + ctx);
      assertEquals(oracle(row -> exactInRange(longs[row], r)), Filters.range(reader.column("l"), r), "long " + ctx);
      assertEquals(oracle(row -> doubleInRange(floats[row], r)), Filters.range(reader.column("f"), r), "float " + ctx);
      assertEquals(oracle(row -> doubleInRange(doubles[row], r)), Filters.range(reader.column("d"), r), "double " + ctx);
    }
  }

  @Test
  void fractionalAndExtremeBoundsOnIntegerColumns() {
    ColumnReader l = reader.column("l");
    assertEquals(oracle(row -> longs[row] >= 2), Filters.range(l, Range.all().gt(1.5)));
    assertEquals(oracle(row -> longs[row] <= 1), Filters.range(l, Range.all().lt(1.5)));
    assertEquals(new FixedBitSet(n), Filters.range(l, Range.all().gt(Long.MAX_VALUE)));
    assertEquals(new FixedBitSet(n), Filters.range(l, Range.all().lt(Long.MIN_VALUE)));
    assertEquals(oracle(row -> longs[row] == Long.MAX_VALUE), Filters.range(l, Range.all().gte(Long.MAX_VALUE)));
    assertEquals(new FixedBitSet(n), Filters.range(l, Range.all().gte(0x1p63)));
    assertEquals(FixedBitSet.all(n), Filters.range(l, Range.all().gt(Double.NEGATIVE_INFINITY)));
    assertThrows(IllegalArgumentException.class, () -> Range.all().gt(Double.NaN));
    var e = assertThrows(IllegalArgumentException.class, () -> Filters.range(reader.column("k"), Range.all().gt(1)));
    assertTrue(e.getMessage().contains("'k' is KEYWORD"), e.getMessage());
  }

  @Test
  void termMatchesTheOracleForEveryOperator() {
    for (int round = 0; round < 200; round++) {
      List<String> ks = new ArrayList<>();
      List<Object> nums = new ArrayList<>();
      for (int t = 1 + rnd.nextInt(3); t > 0; t--) {
        ks.add(rnd.nextInt(8) == 0 ? "missing" : WORDS[rnd.nextInt(WORDS.length)]);
        long v = rnd.nextInt(8) == 0 ? LONG_EDGES[rnd.nextInt(LONG_EDGES.length)] : rnd.nextInt(21) - 10;
        nums.add(switch (rnd.nextInt(4)) {
          case 0 -> v;
          case 1 -> Long.toString(v);
          case 2 -> (double) (int) v;
          default -> (int) v;
        });
      }
      for (TermOperator op : TermOperator.values()) {
        String ctx = op + " " + ks + " " + nums + " seed " + SEED;
        assertEquals(oracle(row -> termOracle(words[row], ks, op)), Filters.term(reader.column("k"), ks, op), "k " + ctx);
        List<Long> asLongs = nums.stream().map(x -> x instanceof String s ? Long.parseLong(s) : ((Number) x).longValue()).toList();
        assertEquals(oracle(row -> termOracle((long) ints[row], asLongs, op)), Filters.term(reader.column("i"), nums, op),
            "i " + ctx);
        assertEquals(oracle(row -> termOracle(longs[row], asLongs, op)), Filters.term(reader.column("l"), nums, op),
            "l " + ctx);
      }
    }
  }

  /** The literal meaning of each operator on a single-valued field. */
  private static <T> boolean termOracle(T value, List<T> terms, TermOperator op) {
    return switch (op) {
      case OR -> terms.contains(value);
      case AND -> terms.stream().allMatch(value::equals);
      case NOT -> !terms.contains(value);
    };
  }

  @Test
  void termRejectsWhatItCannotMatch() {
    assertThrows(IllegalArgumentException.class, () -> Filters.term(reader.column("k"), List.of(), TermOperator.OR));
    var e = assertThrows(IllegalArgumentException.class, () -> Filters.term(reader.column("f"), List.of(1), TermOperator.OR));
    assertTrue(e.getMessage().contains("'f' is FLOAT"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Filters.term(reader.column("l"), List.of("x"), TermOperator.OR));
    assertTrue(e.getMessage().contains("must be an integer, got 'x'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Filters.term(reader.column("l"), List.of(1.5), TermOperator.OR));
    assertThrows(IllegalArgumentException.class, () -> Filters.term(reader.column("k"), List.of(3), TermOperator.OR));
    assertEquals(TermOperator.AND, TermOperator.parse(" And "));
    assertThrows(IllegalArgumentException.class, () -> TermOperator.parse("xor"));
  }

  @Test
  void combinationsMatchTheOracleAndLeaveArgumentsAlone() {
    FixedBitSet a = Filters.range(reader.column("i"), Range.all().gte(0));
    FixedBitSet b = Filters.term(reader.column("k"), List.of("red", "中文"), TermOperator.OR);
    FixedBitSet aCopy = Filters.copy(a);
    FixedBitSet bCopy = Filters.copy(b);
    assertEquals(oracle(row -> ints[row] >= 0 && (words[row].equals("red") || words[row].equals("中文"))), Filters.and(a, b));
    assertEquals(oracle(row -> ints[row] >= 0 || words[row].equals("red") || words[row].equals("中文")), Filters.or(a, b));
    assertEquals(oracle(row -> ints[row] < 0), Filters.not(a));
    assertEquals(aCopy, a);
    assertEquals(bCopy, b);
  }
}
