package io.vecgate.gateway.milvus;

import io.vertx.core.MultiMap;

/**
 * Who may call the Milvus API, asked before each call is decoded ({@link MilvusTokens}: the
 * deployment's tokens; {@link #OPEN}: every call).
 */
@FunctionalInterface
public interface MilvusAccess {

  /** Allows every call. */
  MilvusAccess OPEN = (method, headers) -> null;

  /**
   * @param method the gRPC method's name ({@code Search}, {@code Insert}, ...)
   * @param headers the call's metadata
   * @return null to allow the call, or the reason it is refused (answered as gRPC UNAUTHENTICATED)
   */
  String refusal(String method, MultiMap headers);
}
