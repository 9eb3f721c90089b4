package io.vecgate.launcher.role;

import io.vecgate.runtime.tls.ServerTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** TLS of a role's listeners: PEM certificate chain and key, reloaded when they change and on SIGHUP. */
public final class TlsOptions {

  @Option(names = "--tls-cert", description = "PEM certificate chain: serve the endpoints over TLS (with --tls-key). "
      + "Reloaded when the file changes and on SIGHUP. Default: plain HTTP")
  Path cert;

  @Option(names = "--tls-key", description = "PEM private key (PKCS#8 or PKCS#1) of --tls-cert.")
  Path key;

  private ServerTls tls;

  /**
   * The role's TLS, or null without {@code --tls-cert}; made once, with a SIGHUP handler that reloads it.
   *
   * @throws IllegalArgumentException naming the option when one of the two is missing or unreadable
   */
  synchronized ServerTls serverTls() {
    if (cert == null && key == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException(cert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
    }
    if (tls == null) {
      tls = ServerTls.of(cert, key);
      ServerTls t = tls;
      Signal.handle(new Signal("HUP"), s -> t.reloadNow());
    }
    return tls;
  }

  /** {@code https} with TLS, else {@code http}: for the addresses a role prints. */
  String scheme() {
    return cert == null ? "http" : "https";
  }
}
