package io.vecgate.coordination.alias.hazelcast;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The table of a Vert.x that is not clustered (tests and tools run the roles on a plain Vert.x):
 * one cell per Vert.x instance, shared by every store opened on it, as the Hazelcast map is
 * shared by every member. Nothing else differs; the writer's {@code aliases.json} persists it
 * the same way.
 */
final class InProcessSlot implements TableSlot, Shareable {

  private static final String LOCAL_MAP = "vecgate.alias-table";

  private final AtomicReference<String> value = new AtomicReference<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  static InProcessSlot of(Vertx vertx) {
    LocalMap<String, InProcessSlot> m = vertx.sharedData().getLocalMap(LOCAL_MAP);
    InProcessSlot fresh = new InProcessSlot();
    InProcessSlot existing = m.putIfAbsent("table", fresh);
    return existing != null ? existing : fresh;
  }

  @Override
  public String read() {
    return value.get();
  }

  @Override
  public String putIfAbsent(String v) {
    String existing = value.compareAndExchange(null, v);
    if (existing == null) {
      fire(v);
    }
    return existing;
  }

  @Override
  public boolean replace(String expected, String v) {
    // Compare by value, as Hazelcast compares the serialised forms.
    String cur = value.get();
    if (cur == null || !cur.equals(expected) || !value.compareAndSet(cur, v)) {
      return false;
    }
    fire(v);
    return true;
  }

  @Override
  public Runnable listen(Consumer<String> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public boolean running() {
    return true;
  }

  @Override
  public String describe() {
    return "in-process table (Vert.x not clustered)";
  }

  private void fire(String v) {
    listeners.forEach(l -> l.accept(v));
  }
}
