package io.vecgate.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/**
 * How a bench command reaches a secured deployment: the token it sends as {@code Authorization:
 * Bearer} (the read token for searches, the write token, or admin with {@code --create}, for
 * ingests), and the CA it trusts for {@code https://} URLs.
 */
public final class BenchToken {

  @Option(names = "--token", defaultValue = "",
      description = "Sent as Authorization: Bearer (env VECGATE_TOKEN, which others cannot see in ps). Default: none")
  String token;

  @Option(names = "--token-file", description = "A file holding the token (trimmed).")
  Path tokenFile;

  @Option(names = "--tls-ca", description = "PEM CA certificate(s) to trust for https:// URLs (default: the JDK's).")
  Path tlsCa;

  /**
   * A JDK HTTP client builder that trusts {@code --tls-ca} when given.
   *
   * @throws IllegalArgumentException when the file holds no certificate
   */
  public HttpClient.Builder client() {
    HttpClient.Builder b = HttpClient.newBuilder();
    if (tlsCa == null) {
      return b;
    }
    try (InputStream in = Files.newInputStream(tlsCa)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("--tls-ca: " + tlsCa + " holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return b.sslContext(ctx);
    } catch (IOException e) {
      throw new UncheckedIOException("--tls-ca: cannot read " + tlsCa, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("--tls-ca: " + tlsCa + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code Authorization} header value; empty without a token.
   *
   * @throws IllegalArgumentException when both forms are given or the file holds nothing
   */
  public Optional<String> authorization() {
    String t = token == null ? "" : token;
    if (tokenFile != null) {
      if (!t.isEmpty()) {
        throw new IllegalArgumentException("--token and --token-file are both given: give one of them");
      }
      try {
        t = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("--token-file: cannot read " + tokenFile, e);
      }
      if (t.isEmpty()) {
        throw new IllegalArgumentException("--token-file: " + tokenFile + " is empty");
      }
    }
    return t.isEmpty() ? Optional.empty() : Optional.of("Bearer " + t);
  }
}
