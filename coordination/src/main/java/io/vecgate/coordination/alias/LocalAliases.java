package io.vecgate.coordination.alias;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A node's copy of every alias, read on the search path without a round trip (the "replicated
 * mirror" of the design). The store feeds it with single changes (its notices) and with full
 * reads (at start, on reconnect, periodically); both carry revisions, so whatever order they
 * arrive in, the copy converges on the store's state and never goes back to an older one:
 *
 * <ul>
 *   <li>a change is taken only when it is newer than what the copy knows of that alias (its
 *       current revision, or the revision at which it was deleted);
 *   <li>a full read taken at revision S replaces an alias the copy knows from before S, and
 *       removes the aliases the copy knows from before S that the read does not hold (deleted
 *       meanwhile); what the copy learnt after S stays.
 * </ul>
 *
 * <p>Thread-safe and lock-free: reads see one immutable state; updates swap it.
 */
public final class LocalAliases {

  /** The copy: every alias by name, and the revisions at which aliases were deleted since the last full read. */
  private record State(long revision, Map<String, Alias> aliases, Map<String, Long> deleted) {
    long known(String name) {
      Alias a = aliases.get(name);
      long r = a == null ? 0 : a.revision();
      return Math.max(r, deleted.getOrDefault(name, 0L));
    }
  }

  private final AtomicReference<State> state = new AtomicReference<>(new State(0, Map.of(), Map.of()));
  private final List<Consumer<AliasChange>> listeners = new CopyOnWriteArrayList<>();

  /** The target alias {@code name} serves, or null (unknown, or only being built). */
  public AliasTarget resolve(String name) {
    Alias a = state.get().aliases.get(name);
    return a == null ? null : a.serving();
  }

  /** The alias as the copy knows it (including one that only has a building target). */
  public Optional<Alias> get(String name) {
    return Optional.ofNullable(state.get().aliases.get(name));
  }

  /** Every alias, by name. */
  public List<Alias> all() {
    List<Alias> out = new ArrayList<>(state.get().aliases.values());
    out.sort(java.util.Comparator.comparing(Alias::name));
    return out;
  }

  /** The newest store revision the copy has taken. */
  public long revision() {
    return state.get().revision;
  }

  /** Takes one change if it is newer than what the copy knows of that alias; returns whether it did. */
  public boolean apply(AliasChange change) {
    State prev;
    State next;
    do {
      prev = state.get();
      if (change.revision() <= prev.known(change.name())) {
        return false;
      }
      Map<String, Alias> aliases = new HashMap<>(prev.aliases);
      Map<String, Long> deleted = new HashMap<>(prev.deleted);
      if (change.alias() == null) {
        aliases.remove(change.name());
        deleted.put(change.name(), change.revision());
      } else {
        aliases.put(change.name(), change.alias().withRevision(change.revision()));
        deleted.remove(change.name());
      }
      next = new State(Math.max(prev.revision, change.revision()), Map.copyOf(aliases), Map.copyOf(deleted));
    } while (!state.compareAndSet(prev, next));
    fire(prev, next);
    return true;
  }

  /** Takes a full read of the store taken at {@code revision} (see the class comment). */
  public void applySnapshot(long revision, Collection<Alias> snapshot) {
    State prev;
    State next;
    do {
      prev = state.get();
      Map<String, Alias> aliases = new HashMap<>(prev.aliases);
      Map<String, Alias> read = new HashMap<>();
      for (Alias a : snapshot) {
        read.put(a.name(), a);
        if (a.revision() > prev.known(a.name())) {
          aliases.put(a.name(), a);
        }
      }
      aliases.entrySet().removeIf(e -> !read.containsKey(e.getKey()) && e.getValue().revision() <= revision);
      Map<String, Long> deleted = new HashMap<>(prev.deleted);
      deleted.values().removeIf(r -> r <= revision);
      next = new State(Math.max(prev.revision, revision), Map.copyOf(aliases), Map.copyOf(deleted));
    } while (!state.compareAndSet(prev, next));
    fire(prev, next);
  }

  /** Replaces the whole copy (the store was emptied or replaced, its revisions started again). */
  public void reset(long revision, Collection<Alias> snapshot) {
    Map<String, Alias> aliases = new HashMap<>();
    snapshot.forEach(a -> aliases.put(a.name(), a));
    State next = new State(revision, Map.copyOf(aliases), Map.of());
    fire(state.getAndSet(next), next);
  }

  /** Called after every change the copy takes, on the thread that applied it (quick, non-blocking). */
  public Runnable onChange(Consumer<AliasChange> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void fire(State prev, State next) {
    if (listeners.isEmpty()) {
      return;
    }
    List<AliasChange> changes = new ArrayList<>();
    next.aliases.forEach((name, a) -> {
      if (!Objects.equals(prev.aliases.get(name), a)) {
        changes.add(new AliasChange(name, a, a.revision()));
      }
    });
    prev.aliases.keySet().stream().filter(n -> !next.aliases.containsKey(n))
        .forEach(n -> changes.add(new AliasChange(n, null, next.deleted.getOrDefault(n, next.revision))));
    for (AliasChange c : changes) {
      for (Consumer<AliasChange> l : listeners) {
        l.accept(c);
      }
    }
  }
}
