package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event bus over mutual TLS: a standalone process whose cluster takes only event-bus peers
 * with the deployment's certificate answers {@code vecgate admin} given that certificate, and
 * nothing to an admin without TLS or with a certificate of its own (the commands never reach it).
 */
class ClusterTlsIT {

  @TempDir Path tmp;
  StandaloneProcess standalone;

  @AfterEach
  void tearDown() throws Exception {
    if (standalone != null) {
      standalone.close();
    }
  }

  record Run(int exit, String out, String err) {}

  Run admin(String clusterName, int clusterPort, List<String> tls, String... args) throws Exception {
    Path root = Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().getParent().getParent().getParent();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/vecgate").toString(), "admin", "--cluster-members",
        "127.0.0.1:" + clusterPort, "--cluster-name", clusterName, "--cluster-port", String.valueOf(clusterPort + 1),
        "--timeout", "8s"));
    cmd.addAll(tls);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("VECGATE_JAR", Path.of(System.getProperty("vecgate.jar")).toAbsolutePath().toString());
    pb.environment().put("VECGATE_ADMIN_CDS", tmp.resolve("admin.jsa").toString());
    Path out = Files.createTempFile(tmp, "admin-out", ".txt");
    Path err = Files.createTempFile(tmp, "admin-err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "admin did not finish");
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    System.out.println("ClusterTlsIT: admin " + String.join(" ", args) + " " + tls + " -> " + r);
    return r;
  }

  @Test
  void onlyPeersWithTheDeploymentsCertificateReachTheEventBus() throws Exception {
    TestCerts.Cert cluster = TestCerts.make(tmp, "vecgate-cluster");
    TestCerts.Cert intruder = TestCerts.make(tmp, "intruder");
    String clusterName = "it-cluster-tls-" + UUID.randomUUID();
    int clusterPort = NodeProcess.freeClusterPort();
    List<String> tls = List.of("--cluster-tls-cert", cluster.certPem().toString(), "--cluster-tls-key",
        cluster.keyPem().toString(), "--cluster-tls-ca", cluster.certPem().toString());
    List<String> args = new ArrayList<>(List.of("--cluster-name", clusterName, "--cluster-port",
        String.valueOf(clusterPort), "--cluster-members", "127.0.0.1:" + clusterPort));
    args.addAll(tls);
    standalone = StandaloneProcess.start("ClusterTlsIT", tmp.resolve("data"), args.toArray(String[]::new));
    Http w = standalone.write();
    assertEquals(200, w.put("/db/_create", "{\"name\": \"shop\"}").status(), "its own event bus works over TLS");

    Run ok = admin(clusterName, clusterPort, tls, "spaces", "--json");
    assertEquals(0, ok.exit(), ok::toString);
    assertTrue(ok.out().contains("shop"), ok::toString);

    Run plain = admin(clusterName, clusterPort, List.of(), "spaces");
    assertTrue(plain.exit() != 0, () -> "an admin without TLS is answered nothing: " + plain);
    Run other = admin(clusterName, clusterPort, List.of("--cluster-tls-cert", intruder.certPem().toString(),
        "--cluster-tls-key", intruder.keyPem().toString(), "--cluster-tls-ca", intruder.certPem().toString()),
        "spaces");
    assertTrue(other.exit() != 0, () -> "an admin with a certificate of its own is answered nothing: " + other);
  }
}
