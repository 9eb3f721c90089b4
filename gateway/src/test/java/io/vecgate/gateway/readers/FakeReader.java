package io.vecgate.gateway.readers;

import io.vecgate.protocol.reader.GetRequest;
import io.vecgate.protocol.reader.GetResponse;
import io.vecgate.protocol.reader.PingResponse;
import io.vecgate.protocol.reader.SearchRequest;
import io.vecgate.protocol.reader.SearchResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A reader process for {@link ConnectionPool} tests, without sockets: it is {@link Mode#UP}
 * (answers), {@link Mode#DOWN} (refuses connections at once, as a killed process on loopback) or
 * {@link Mode#HUNG} (never answers; calls time out on the {@link ManualTimers} clock). Channels it
 * opens record what was sent; searches can be held and released by the test.
 */
public final class FakeReader {

  public enum Mode { UP, DOWN, HUNG }

  public final String nodeId;
  private final ManualTimers timers;
  public Mode mode = Mode.UP;
  public boolean holdSearches;
  public Function<SearchRequest, SearchResponse> answer = r -> SearchResponse.newBuilder().setVersion(r.getVersion()).build();
  public final List<Channel> channels = new ArrayList<>();
  public int pings;
  public int searches;

  public FakeReader(String nodeId, ManualTimers timers) {
    this.nodeId = nodeId;
    this.timers = timers;
  }

  /** Opens a channel to this reader (what {@link ConnectionPool}'s opener does). */
  public Channel open() {
    Channel c = new Channel();
    channels.add(c);
    return c;
  }

  public long openChannels() {
    return channels.stream().filter(c -> !c.closed).count();
  }

  /** One connection: calls fail as the reader's mode says; closing it fails the calls still on it. */
  public final class Channel implements ReaderChannel {
    public boolean closed;
    public final List<Promise<?>> inFlight = new ArrayList<>();
    public final List<Promise<SearchResponse>> held = new ArrayList<>();
    public final List<SearchRequest> heldRequests = new ArrayList<>();

    @Override
    public Future<SearchResponse> search(SearchRequest request, long timeoutMillis) {
      searches++;
      return call(timeoutMillis, p -> {
        if (holdSearches) {
          held.add(p);
          heldRequests.add(request);
        } else {
          p.complete(answer.apply(request));
        }
      });
    }

    @Override
    public Future<GetResponse> get(GetRequest request, long timeoutMillis) {
      return call(timeoutMillis, p -> p.complete(GetResponse.newBuilder().setVersion(request.getVersion()).build()));
    }

    @Override
    public Future<PingResponse> ping(long timeoutMillis) {
      pings++;
      return call(timeoutMillis, p -> p.complete(PingResponse.newBuilder().setNodeId(nodeId).build()));
    }

    private <T> Future<T> call(long timeoutMillis, java.util.function.Consumer<Promise<T>> onUp) {
      Promise<T> p = Promise.promise();
      if (closed) {
        p.fail(ReaderCallException.connection(nodeId, "channel closed", null));
        return p.future();
      }
      switch (mode) {
        case DOWN -> p.fail(ReaderCallException.connection(nodeId, "connection refused", null));
        case HUNG -> {
          inFlight.add(p);
          timers.setTimer(timeoutMillis, () -> p.tryFail(ReaderCallException.timeout(nodeId, timeoutMillis)));
        }
        case UP -> {
          inFlight.add(p);
          onUp.accept(p);
        }
      }
      return p.future();
    }

    /** Answers the held searches. */
    public void release() {
      for (int i = 0; i < held.size(); i++) {
        held.get(i).tryComplete(answer.apply(heldRequests.get(i)));
      }
      held.clear();
      heldRequests.clear();
    }

    @Override
    public Future<Void> close() {
      closed = true;
      for (Promise<?> p : inFlight) {
        p.tryFail(ReaderCallException.connection(nodeId, "connection closed", null));
      }
      return Future.succeededFuture();
    }
  }
}
