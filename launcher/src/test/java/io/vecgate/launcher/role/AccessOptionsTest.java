package io.vecgate.launcher.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.launcher.config.ConfigDefaults;
import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** The token options of every role: command line, environment, files, and the open-level warning. */
class AccessOptionsTest {

  @Command(name = "role")
  static final class Role implements Runnable {
    @Mixin NodeOptions node = new NodeOptions();

    @Override
    public void run() {}
  }

  @TempDir Path tmp;

  private static NodeOptions parse(Map<String, String> env, String... args) {
    Role role = new Role();
    new CommandLine(role).setDefaultValueProvider(new ConfigDefaults(env, new Properties())).parseArgs(args);
    return role.node;
  }

  @Test
  void tokensFromTheCommandLineTheEnvironmentAndFiles() throws Exception {
    Path adminFile = Files.writeString(tmp.resolve("admin"), "  a-from-file\n");
    NodeOptions node = parse(Map.of("VECGATE_WRITE_TOKEN", "w-from-env"), "--read-token", "r-cli",
        "--admin-token-file", adminFile.toString());
    AccessTokens t = node.tokens();
    assertEquals(List.of(), t.openLevels());
    assertEquals(Optional.of("Bearer r-cli"), t.credentialFor(AccessLevel.READ));
    assertEquals(Optional.of("Bearer w-from-env"), t.credentialFor(AccessLevel.WRITE));
    assertEquals(Optional.of("Bearer a-from-file"), t.credentialFor(AccessLevel.ADMIN));
    // A Secret mounted as a file, named in the environment (the chart's way).
    NodeOptions fromEnvFile = parse(Map.of("VECGATE_READ_TOKEN_FILE", adminFile.toString()));
    assertEquals(Optional.of("Bearer a-from-file"), fromEnvFile.tokens().credentialFor(AccessLevel.READ));
    assertEquals(List.of(AccessLevel.READ, AccessLevel.WRITE, AccessLevel.ADMIN), parse(Map.of()).tokens().openLevels());
  }

  @Test
  void aTokenAndItsFileTogetherOrAnEmptyFileAreRefusedNamingTheOption() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty"), "\n");
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--write-token", "x", "--write-token-file", empty.toString()).tokens());
    assertEquals("--write-token and --write-token-file are both given: give one of them", both.getMessage());
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--admin-token-file", empty.toString()).tokens());
    assertTrue(blank.getMessage().startsWith("--admin-token-file: "), blank.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), "--read-token-file", tmp.resolve("nope").toString()).tokens());
    assertTrue(missing.getMessage().startsWith("--read-token-file: cannot read "), missing.getMessage());
  }

  @Test
  void openLevelsAreWarnedOfOnlyBeyondLoopback() {
    AccessTokens adminOnly = AccessTokens.of(null, null, "a");
    assertEquals(Optional.empty(), RoleRunner.openLevelsWarning("127.0.0.1", adminOnly));
    assertEquals(Optional.empty(), RoleRunner.openLevelsWarning("0.0.0.0", AccessTokens.of("r", "w", "a")));
    String w = RoleRunner.openLevelsWarning("0.0.0.0", adminOnly).orElseThrow();
    assertEquals("no token for read, write while listening on 0.0.0.0 (not loopback): anyone who reaches this node "
        + "may do what those levels allow; set --read-token, --write-token (or VECGATE_..._TOKEN, or the -file forms)", w);
  }
}
