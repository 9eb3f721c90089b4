package io.vecgate.engine.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PartitionerTest {

  private static int mm3(String s, int seed) {
    return Murmur3.hash32(s.getBytes(StandardCharsets.UTF_8), seed);
  }

  /**
   * Reference values of MurmurHash3_x86_32: the SMHasher verification set as published with the
   * reference code, and Guava's murmur3_32 tests; cross-checked with an independent Python port.
   */
  @Test
  void murmur3MatchesReferenceValues() {
    assertEquals(0, mm3("", 0));
    assertEquals(0x514E28B7, mm3("", 1));
    assertEquals(0x81F16F39, mm3("", 0xffffffff));
    assertEquals(0x2362F9DE, Murmur3.hash32(new byte[4], 0));
    assertEquals(0x5A97808A, mm3("aaaa", 0x9747b28c));
    assertEquals(0x24884CBA, mm3("Hello, world!", 0x9747b28c));
    assertEquals(0x248bfa47, mm3("hello", 0));
    assertEquals(0x2e4ff723, mm3("The quick brown fox jumps over the lazy dog", 0));
    // Each tail length (1, 2, 3 bytes) and a multi-byte UTF-8 key.
    assertEquals(0x3c2569b2, mm3("a", 0));
    assertEquals(0x9bbfd75f, mm3("ab", 0));
    assertEquals(0xb3dd93fa, mm3("abc", 0));
    assertEquals(0x43ed676a, mm3("abcd", 0));
    assertEquals(0xdb267197, mm3("中文", 0));
  }

  @Test
  void murmur3PartitionIsTheUnsignedHashModuloPartitions() {
    Murmur3Partitioner p = new Murmur3Partitioner(7);
    // 0x81F16F39 style negative ints must not give negative partitions.
    assertEquals((int) (Integer.toUnsignedLong(0xdb267197) % 7), p.partition("中文"));
    assertEquals((int) (Integer.toUnsignedLong(0x248bfa47) % 7), p.partition("hello"));
    assertEquals(p.partition("42"), p.partition(42L));
    int[] counts = new int[7];
    for (int i = 0; i < 70_000; i++) {
      int part = p.partition("doc-" + i);
      assertTrue(part >= 0 && part < 7);
      counts[part]++;
    }
    for (int c : counts) {
      assertTrue(Math.abs(c - 10_000) < 600, "uneven spread: " + c);
    }
  }

  @Test
  void moduloPartitionsNumericIds() {
    ModuloPartitioner p = new ModuloPartitioner(4);
    assertEquals(0, p.partition(8));
    assertEquals(3, p.partition(7));
    assertEquals(3, p.partition(-1));
    assertEquals(1, p.partition(" 13 "));
    assertEquals((int) Math.floorMod(Long.MIN_VALUE, 4L), p.partition(Long.MIN_VALUE));
    var e = assertThrows(IllegalArgumentException.class, () -> p.partition("user-17"));
    assertTrue(e.getMessage().contains("modulo partitioning needs numeric ids, got 'user-17'"), e.getMessage());
  }

  @Test
  void partitionCountsAndNamesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new ModuloPartitioner(0));
    assertThrows(IllegalArgumentException.class, () -> new Murmur3Partitioner(-2));
    assertEquals("murmur3(3)", Partitioner.of("MURMUR3", 3).toString());
    assertEquals("modulo(2)", Partitioner.of("modulo", 2).toString());
    assertThrows(IllegalArgumentException.class, () -> Partitioner.of("range", 2));
  }
}
