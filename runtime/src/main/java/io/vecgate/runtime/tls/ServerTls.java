package io.vecgate.runtime.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TLS for a node's listeners from PEM files: a certificate chain ({@code --tls-cert}) and its
 * private key ({@code --tls-key}, PKCS#8 or PKCS#1). The files are read again, and every server
 * {@linkplain #keepFresh kept fresh} takes them for its new connections, when either file
 * changes (checked every {@link #CHECK_MILLIS} ms: a renewed Kubernetes Secret, a cert-manager
 * rotation) or on {@link #reloadNow()} (the launcher calls it on SIGHUP). A pair that fails to
 * load is logged and the servers keep the previous one. With a {@linkplain #requireClientsOf
 * client CA} (mutual TLS, the readers' gRPC), a client must present a certificate it signed.
 */
public final class ServerTls {

  /** How often the files are checked for a change. */
  public static final long CHECK_MILLIS = 2000;

  private static final System.Logger LOG = System.getLogger(ServerTls.class.getName());

  private final Path cert;
  private final Path key;
  private volatile Path clientCa;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private volatile String seen;
  private Vertx vertx;
  private long timer = -1;

  private ServerTls(Path cert, Path key) {
    this.cert = cert;
    this.key = key;
  }

  /**
   * @throws IllegalArgumentException naming the option when a file cannot be read
   */
  public static ServerTls of(Path cert, Path key) {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
    readable("--tls-cert", cert);
    readable("--tls-key", key);
    return new ServerTls(cert, key);
  }

  private static void readable(String option, Path p) {
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException(option + ": cannot read " + p.toAbsolutePath());
    }
  }

  /**
   * Requires every client to present a certificate signed by the CA in {@code ca} (PEM; mutual TLS).
   *
   * @throws IllegalArgumentException naming the option when the file cannot be read
   */
  public ServerTls requireClientsOf(Path ca) {
    readable("--tls-client-ca", ca);
    this.clientCa = ca;
    return this;
  }

  /** {@code options} serving TLS with the files (HTTP/2 by ALPN, so gRPC servers work too). */
  public HttpServerOptions configure(HttpServerOptions options) {
    seen = stamp();
    options.setSsl(true).setUseAlpn(true).setKeyCertOptions(keyCert());
    if (clientCa != null) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString()));
    }
    return options;
  }

  /** Reloads the files into {@code server} from now on when they change (until the Vert.x closes). */
  public synchronized void keepFresh(Vertx vertx, HttpServer server) {
    servers.add(server);
    if (this.vertx == null) {
      this.vertx = vertx;
      timer = vertx.setPeriodic(CHECK_MILLIS, id -> {
        if (!stamp().equals(seen)) {
          reloadNow();
        }
      });
    }
  }

  /** Stops watching the files. */
  public synchronized void stop() {
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Reads the files again into every server kept fresh. */
  public void reloadNow() {
    seen = stamp();
    ServerSSLOptions ssl = new ServerSSLOptions().setUseAlpn(true).setKeyCertOptions(keyCert());
    if (clientCa != null) {
      ssl.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString()));
    }
    for (HttpServer s : servers) {
      s.updateSSLOptions(ssl, true)
          .onSuccess(updated -> LOG.log(System.Logger.Level.INFO, "TLS: reloaded " + cert + " and " + key
              + " for port " + s.actualPort()))
          .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "TLS: " + cert + " and " + key + " do not load (" + e
              + "); port " + s.actualPort() + " keeps the previous certificate"));
    }
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }

  /** The files' modification times and sizes: what says they changed. */
  private String stamp() {
    return stamp(cert) + "|" + stamp(key);
  }

  private static String stamp(Path p) {
    try {
      FileTime t = Files.getLastModifiedTime(p);
      return t.toMillis() + ":" + Files.size(p);
    } catch (IOException e) {
      return "missing";
    }
  }

  @Override
  public String toString() {
    return "TLS " + cert + ", " + key;
  }
}
