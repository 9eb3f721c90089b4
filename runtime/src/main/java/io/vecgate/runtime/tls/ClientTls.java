package io.vecgate.runtime.tls;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS of a node's calls to other nodes (the gateway's gRPC to the readers): the servers'
 * certificates must be signed by the CA in {@code ca}; with {@code cert} and {@code key}, the node
 * presents that certificate (mutual TLS). The servers' names are not checked against their
 * addresses, only their signature: readers announce pod addresses, which no certificate can list
 * ahead of time.
 *
 * @param cert the client certificate chain (PEM), or null to present none
 * @param key its private key (PEM), or null
 */
public record ClientTls(Path ca, Path cert, Path key) {

  /**
   * @throws IllegalArgumentException naming the option when a file cannot be read, or only one
   *     of cert and key is given
   */
  public ClientTls {
    if (!Files.isReadable(ca)) {
      throw new IllegalArgumentException("--reader-tls-ca: cannot read " + ca.toAbsolutePath());
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("a client certificate needs both --tls-cert and --tls-key");
    }
  }

  /** {@code options} calling over TLS (HTTP/2 by ALPN). */
  public HttpClientOptions configure(HttpClientOptions options) {
    options.setSsl(true).setUseAlpn(true).setVerifyHost(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
    if (cert != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
    }
    return options;
  }
}
