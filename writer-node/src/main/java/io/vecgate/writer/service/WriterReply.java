package io.vecgate.writer.service;

import java.util.Map;

/**
 * A successful answer of the writer.
 *
 * @param status the HTTP status
 * @param body the JSON response body (UTF-8)
 * @param headers extra reply headers for the gateway (e.g. {@link #ALIAS_REVISION}); not sent to HTTP clients
 */
public record WriterReply(int status, byte[] body, Map<String, String> headers) {

  /** The alias store revision of an alias change: the gateway brings its local copy up to it before answering. */
  public static final String ALIAS_REVISION = io.vecgate.common.cluster.Addresses.ALIAS_REVISION_HEADER;

  public WriterReply {
    headers = Map.copyOf(headers);
  }

  public WriterReply(int status, byte[] body) {
    this(status, body, Map.of());
  }
}
