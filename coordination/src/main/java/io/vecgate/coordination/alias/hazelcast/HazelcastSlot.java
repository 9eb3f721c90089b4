package io.vecgate.coordination.alias.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The table in one entry of the cluster's {@code vecgate.aliases} map: compare-and-set is
 * {@link IMap#replace(Object, Object, Object)} (it compares the serialised values), and an entry
 * listener on that key brings every change to every member.
 */
final class HazelcastSlot implements TableSlot {

  static final String MAP = "vecgate.aliases";
  static final String KEY = "table";

  private final HazelcastInstance hazelcast;
  private final IMap<String, String> map;

  HazelcastSlot(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.map = hazelcast.getMap(MAP);
  }

  @Override
  public String read() {
    return map.get(KEY);
  }

  @Override
  public String putIfAbsent(String value) {
    return map.putIfAbsent(KEY, value);
  }

  @Override
  public boolean replace(String expected, String value) {
    return map.replace(KEY, expected, value);
  }

  @Override
  public Runnable listen(Consumer<String> listener) {
    UUID id = map.addEntryListener(new Listener(listener), KEY, true);
    return () -> {
      if (hazelcast.getLifecycleService().isRunning()) {
        map.removeEntryListener(id);
      }
    };
  }

  @Override
  public boolean running() {
    return hazelcast.getLifecycleService().isRunning();
  }

  @Override
  public String describe() {
    return "hazelcast map " + MAP + " of cluster " + hazelcast.getConfig().getClusterName();
  }

  private record Listener(Consumer<String> target)
      implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      target.accept(e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      target.accept(e.getValue());
    }
  }
}
