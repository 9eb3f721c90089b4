package io.vecgate.protocol.access;

import io.vertx.core.eventbus.Message;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The check of what one role publishes to the others (version notices, reader states, the
 * catalog): only a node with the admin token may publish them, so a cluster member without it
 * cannot make readers drop a version, announce a reader of its own or rewrite a gateway's
 * catalog. A refused message has no reply to fail: it is dropped, and a warning is logged at most
 * once a minute (a misconfigured node publishes every second).
 */
public final class PublishCheck {

  private static final System.Logger LOG = System.getLogger(PublishCheck.class.getName());
  private static final long WARN_EVERY_NANOS = 60_000_000_000L;

  private final AccessTokens tokens;
  private final String what;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  /** @param what what is published, for the warning ({@code "reader state"}) */
  public PublishCheck(AccessTokens tokens, String what) {
    this.tokens = tokens;
    this.what = what;
  }

  /** Whether {@code msg} carries a token that opens {@link AccessLevel#ADMIN} (always, when that level is open). */
  public boolean admit(Message<?> msg) {
    if (tokens.permits(AccessLevel.ADMIN, msg.headers().get(AccessTokens.HEADER))) {
      return true;
    }
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.log(System.Logger.Level.WARNING, "ignoring a " + what + " on " + msg.address() + " without the admin token "
          + "(a node without the deployment's --admin-token, or a cluster member that is no vecgate node): "
          + msg.body());
    }
    return false;
  }
}
