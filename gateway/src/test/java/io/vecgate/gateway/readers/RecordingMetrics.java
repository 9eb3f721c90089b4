package io.vecgate.gateway.readers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link ReaderMetrics} that counts every event by name ({@code evicted:reader-1}, {@code retried:true}, ...). */
public final class RecordingMetrics implements ReaderMetrics {

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  public long count(String key) {
    AtomicLong n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  private void inc(String key) {
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  @Override
  public void heartbeat(String reader, boolean answered) {
    inc("heartbeat:" + reader + ":" + answered);
  }

  @Override
  public void evicted(String reader) {
    inc("evicted:" + reader);
  }

  @Override
  public void returned(String reader) {
    inc("returned:" + reader);
  }

  @Override
  public void connectionLost(String reader) {
    inc("lost:" + reader);
  }

  @Override
  public void reconnected(String reader) {
    inc("reconnected:" + reader);
  }

  @Override
  public void completed(String reader, Admission.Outcome outcome) {
    inc("completed:" + reader + ":" + outcome);
  }

  @Override
  public void rejected(String reader) {
    inc("rejected:" + reader);
  }

  @Override
  public void retried(boolean ok) {
    inc("retried:" + ok);
  }

  @Override
  public void shed(int status) {
    inc("shed:" + status);
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
