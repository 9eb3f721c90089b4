package io.vecgate.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates the tests make with the JDK's keytool (RSA 2048, valid two days, for
 * 127.0.0.1 and localhost), written as the PEM files vecgate takes, and an SSL context that trusts them.
 */
final class TestCerts {

  /** One certificate: its PEM files and the certificate itself. */
  record Cert(Path certPem, Path keyPem, X509Certificate cert) {}

  private TestCerts() {}

  /** A new self-signed certificate named {@code cn}, its files {@code dir/cn.crt} and {@code dir/cn.key}. */
  static Cert make(Path dir, String cn) throws Exception {
    Path p12 = dir.resolve(cn + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
        "-alias", "vg", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=" + cn,
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", p12.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    X509Certificate cert = (X509Certificate) ks.getCertificate("vg");
    PrivateKey key = (PrivateKey) ks.getKey("vg", "changeit".toCharArray());
    Path crt = dir.resolve(cn + ".crt");
    Path k = dir.resolve(cn + ".key");
    Files.writeString(crt, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(k, pem("PRIVATE KEY", key.getEncoded()));
    return new Cert(crt, k, cert);
  }

  /** A TLS client context that trusts exactly {@code certs}. */
  static SSLContext trusting(List<Cert> certs) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (Cert c : certs) {
      trust.setCertificateEntry(c.cert().getSubjectX500Principal().getName(), c.cert());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
