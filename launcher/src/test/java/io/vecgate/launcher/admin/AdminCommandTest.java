package io.vecgate.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.launcher.config.ConfigDefaults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line parsing of {@code vecgate admin}, without a cluster. */
class AdminCommandTest {

  private static CommandLine cli(AdminCommand admin, Map<String, String> env) {
    return new CommandLine(admin).setDefaultValueProvider(new ConfigDefaults(env, new Properties()));
  }

  @Test
  void sharedOptionsMayFollowTheSubcommand() {
    AdminCommand admin = new AdminCommand();
    CommandLine.ParseResult r = cli(admin, Map.of()).parseArgs("alias", "switch", "items", "shop", "items_v2", "--json",
        "--admin-token", "t0k", "--cluster-members", "127.0.0.1:5801", "--timeout", "5s");
    assertTrue(admin.json);
    assertEquals("t0k", admin.adminToken);
    assertEquals("127.0.0.1:5801", admin.clusterMembers);
    assertEquals(Duration.ofSeconds(5), admin.timeout);
    assertEquals("switch", r.subcommand().subcommand().commandSpec().name());
  }

  @Test
  void tokenIsAlsoTokenAndMayComeFromAFile() throws Exception {
    AdminCommand admin = new AdminCommand();
    cli(admin, Map.of()).parseArgs("nodes", "--token", "t1");
    assertEquals("t1", admin.adminToken);
    java.nio.file.Path f = java.nio.file.Files.createTempFile("admin", ".token");
    try {
      AdminCommand fromFile = new AdminCommand();
      cli(fromFile, Map.of()).parseArgs("gc", "--token-file", f.toString());
      assertEquals(f, fromFile.adminTokenFile);
    } finally {
      java.nio.file.Files.delete(f);
    }
  }

  @Test
  void tokenAndMembersFromTheEnvironment() {
    AdminCommand admin = new AdminCommand();
    cli(admin, Map.of("VECGATE_ADMIN_TOKEN", "from-env", "VECGATE_CLUSTER_MEMBERS", "10.0.0.1:5701"))
        .parseArgs("nodes");
    assertEquals("from-env", admin.adminToken);
    assertEquals("10.0.0.1:5701", admin.clusterMembers);
    assertEquals("vecgate", admin.clusterName);
  }

  @Test
  void versionArguments() {
    VersionArg v = VersionArg.parse("shop/items_v2@3");
    assertEquals(new VersionArg("shop", "items_v2", 3), v);
    assertEquals("{\"db\":\"shop\",\"space\":\"items_v2\",\"version\":3}", v.body().encode());
    for (String bad : new String[] {"shop/items", "items@3", "/items@3", "shop/@3", "shop/items@", "shop/items@0",
        "shop/items@x"}) {
      CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
          () -> VersionArg.parse(bad), bad);
      assertTrue(e.getMessage().contains("'"), e.getMessage());
    }
  }

  @Test
  void badArgumentsAreUsageErrorsNamingTheParameter() {
    AdminCommand admin = new AdminCommand();
    CommandLine cl = cli(admin, Map.of());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("reader", "load", "reader-1", "shop/items"));
    assertTrue(err.toString().contains("DB/SPACE@VERSION"), err.toString());
    assertTrue(err.toString().contains("expected db/space@version"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, cl.execute("alias", "switch", "items", "shop"));
    assertTrue(err.toString().contains("SPACE"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, cl.execute("compact", "shop"));
    assertEquals(2, cl.execute("frobnicate"));
    assertTrue(err.toString().contains("frobnicate"), err.toString());
  }

  @Test
  void rebuildStartRefusesAMissingFileBeforeJoining() {
    CommandLine cl = cli(new AdminCommand(), Map.of());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("rebuild", "start", "/nonexistent/job.json"));
    assertTrue(err.toString().contains("JOB_JSON: cannot read /nonexistent/job.json"), err.toString());
  }
}
