package io.vecgate.writer.store;

import io.vecgate.space.Document;
import io.vecgate.space.FieldSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The acknowledged documents of a space that are not sealed yet, by {@code _id}, in the order
 * they were written. Each is the live copy of its id (a sealed copy, if any, is tombstoned).
 * Touched on the space's lane only.
 */
final class BufferedDocs {

  /** A buffered document: its {@code seq} (the sequence number of its WAL record) and partition. */
  record Pending(long seq, int partition, Document doc) {}

  private final Map<String, Pending> docs = new LinkedHashMap<>();

  int size() {
    return docs.size();
  }

  boolean isEmpty() {
    return docs.isEmpty();
  }

  boolean contains(String id) {
    return docs.containsKey(id);
  }

  /** Makes {@code doc} the buffered copy of its id (replacing an earlier buffered one). */
  void put(long seq, int partition, Document doc) {
    docs.put(doc.id(), new Pending(seq, partition, doc));
  }

  /** Drops the buffered copy of {@code id}; returns whether there was one. */
  boolean remove(String id) {
    return docs.remove(id) != null;
  }

  void clear() {
    docs.clear();
  }

  /** The buffered documents grouped by partition (ascending), each group in write order. */
  Map<Integer, Rows> byPartition() {
    Map<Integer, List<Pending>> groups = new TreeMap<>();
    for (Pending p : docs.values()) {
      groups.computeIfAbsent(p.partition(), k -> new ArrayList<>()).add(p);
    }
    Map<Integer, Rows> rows = new TreeMap<>();
    groups.forEach((partition, list) -> rows.put(partition, rows(list)));
    return rows;
  }

  /** The documents of {@code pending} as segment rows. */
  static Rows rows(List<Pending> pending) {
    return new Rows() {
      public int size() {
        return pending.size();
      }

      public long seq(int r) {
        return pending.get(r).seq();
      }

      public String id(int r) {
        return pending.get(r).doc().id();
      }

      public void vector(int r, float[] dst) {
        System.arraycopy(pending.get(r).doc().vector(), 0, dst, 0, dst.length);
      }

      public Object scalar(int r, FieldSpec f) {
        return pending.get(r).doc().scalars().get(f.name());
      }
    };
  }
}
