package io.vecgate.gateway.readers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Timers} on a clock the test moves: {@link #advance} runs every timer that falls due, in
 * time order, on the test's thread. Starts at an arbitrary non-zero time.
 */
public final class ManualTimers implements Timers {

  private record Task(long id, long dueNanos, long periodNanos, Runnable run) {}

  private long now = TimeUnit.SECONDS.toNanos(1000);
  private long nextId;
  private final List<Task> tasks = new ArrayList<>();

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public long setTimer(long delayMillis, Runnable task) {
    Task t = new Task(nextId++, now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, delayMillis)), 0, task);
    tasks.add(t);
    return t.id();
  }

  @Override
  public long setPeriodic(long periodMillis, Runnable task) {
    long p = TimeUnit.MILLISECONDS.toNanos(Math.max(1, periodMillis));
    Task t = new Task(nextId++, now + p, p, task);
    tasks.add(t);
    return t.id();
  }

  @Override
  public void cancel(long id) {
    tasks.removeIf(t -> t.id() == id);
  }

  /** Moves the clock {@code millis} forward, running what falls due on the way. */
  public void advance(long millis) {
    long end = now + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      Task next = tasks.stream().filter(t -> t.dueNanos() <= end).min(Comparator.comparingLong(Task::dueNanos)
          .thenComparingLong(Task::id)).orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = Math.max(now, next.dueNanos());
      if (next.periodNanos() > 0) {
        tasks.add(new Task(next.id(), next.dueNanos() + next.periodNanos(), next.periodNanos(), next.run()));
      }
      next.run().run();
    }
    now = end;
  }

  /** Timers pending (periodic ones included). */
  public int pending() {
    return tasks.size();
  }
}
