package io.vecgate.gateway.milvus;

import io.vertx.core.MultiMap;

/**
 * Who may call the Milvus API: the one place where the tokens of the security settings will be checked (the
 * SDK sends its {@code token}, or {@code user:password}, base64 in the {@code authorization} metadata). Today
 * every call is allowed.
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
