package io.vecgate.gateway.readers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ReaderMetrics} as Prometheus counters (names as {@code /metrics} shows them):
 * {@code vecgate_reader_heartbeats_total{reader,outcome=answered|missed}},
 * {@code vecgate_reader_evictions_total{reader}}, {@code vecgate_reader_returns_total{reader}},
 * {@code vecgate_reader_connections_lost_total{reader}}, {@code vecgate_reader_reconnects_total{reader}},
 * {@code vecgate_reader_requests_total{reader,outcome=success|dropped|ignored|rejected}},
 * {@code vecgate_search_retries_total{outcome=ok|failed}}, {@code vecgate_search_shed_total{status}}.
 * Counters are looked up once and cached: the per-search calls cost a map lookup.
 */
public final class MicrometerReaderMetrics implements ReaderMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public MicrometerReaderMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void heartbeat(String reader, boolean answered) {
    count("vecgate.reader.heartbeats", "reader", reader, "outcome", answered ? "answered" : "missed");
  }

  @Override
  public void evicted(String reader) {
    count("vecgate.reader.evictions", "reader", reader);
  }

  @Override
  public void returned(String reader) {
    count("vecgate.reader.returns", "reader", reader);
  }

  @Override
  public void connectionLost(String reader) {
    count("vecgate.reader.connections.lost", "reader", reader);
  }

  @Override
  public void reconnected(String reader) {
    count("vecgate.reader.reconnects", "reader", reader);
  }

  @Override
  public void completed(String reader, Admission.Outcome outcome) {
    count("vecgate.reader.requests", "reader", reader, "outcome", outcome.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public void rejected(String reader) {
    count("vecgate.reader.requests", "reader", reader, "outcome", "rejected");
  }

  @Override
  public void retried(boolean ok) {
    count("vecgate.search.retries", "outcome", ok ? "ok" : "failed");
  }

  @Override
  public void shed(int status) {
    count("vecgate.search.shed", "status", String.valueOf(status));
  }

  private void count(String name, String... tags) {
    String key = name + String.join("|", tags);
    counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry)).increment();
  }
}
