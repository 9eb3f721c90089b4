package io.vecgate.protocol.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

  private static final AccessTokens ALL = AccessTokens.of("r-tok", "w-tok", "a-tok");

  /** The credentials a caller can present, and the outcome each gets at each level with every token set. */
  private static final Map<String, String> CREDENTIALS = Map.of(
      "none", "", "basic", "Basic dXNlcjpwdw==", "read", "Bearer r-tok", "write", "Bearer w-tok",
      "admin", "Bearer a-tok", "unknown", "Bearer guess", "prefix of admin", "Bearer a-to");

  @Test
  void everyLevelAgainstEveryCredentialWithEveryTokenSet() {
    Map<String, List<String>> expected = Map.of(
        // outcome at READ, WRITE, ADMIN
        "none", List.of("401 token_required", "401 token_required", "401 token_required"),
        "basic", List.of("401 token_required", "401 token_required", "401 token_required"),
        "read", List.of("ok", "403 token_insufficient", "403 token_insufficient"),
        "write", List.of("ok", "ok", "403 token_insufficient"),
        "admin", List.of("ok", "ok", "ok"),
        "unknown", List.of("403 token_invalid", "403 token_invalid", "403 token_invalid"),
        "prefix of admin", List.of("403 token_invalid", "403 token_invalid", "403 token_invalid"));
    List<String> wrong = new ArrayList<>();
    CREDENTIALS.forEach((name, header) -> {
      for (AccessLevel level : AccessLevel.values()) {
        String got = outcome(ALL, level, header.isEmpty() ? null : header);
        String want = expected.get(name).get(level.ordinal());
        if (!got.equals(want)) {
          wrong.add(name + " at " + level + ": " + got + ", expected " + want);
        }
      }
    });
    assertEquals(List.of(), wrong);
  }

  @Test
  void aLevelWithoutATokenIsOpenToEveryCredentialAndTheOthersStayClosed() {
    AccessTokens adminOnly = AccessTokens.of(null, "", "a-tok");
    CREDENTIALS.forEach((name, header) -> {
      String h = header.isEmpty() ? null : header;
      assertEquals("ok", outcome(adminOnly, AccessLevel.READ, h), name);
      assertEquals("ok", outcome(adminOnly, AccessLevel.WRITE, h), name);
    });
    assertEquals("401 token_required", outcome(adminOnly, AccessLevel.ADMIN, null));
    // A token of an open level is no token of this deployment's: it opens nothing closed.
    assertEquals("403 token_invalid", outcome(AccessTokens.of(null, "w-tok", "a-tok"), AccessLevel.WRITE, "Bearer r-tok"));
    assertEquals(List.of(AccessLevel.READ, AccessLevel.WRITE), adminOnly.openLevels());
    assertEquals(List.of(AccessLevel.READ, AccessLevel.WRITE, AccessLevel.ADMIN), AccessTokens.none().openLevels());
    assertEquals(List.of(), ALL.openLevels());
  }

  @Test
  void reasonsNameTheTokensThatWouldOpenTheRequest() {
    ApiException missing = assertThrows(ApiException.class, () -> ALL.check(AccessLevel.WRITE, null));
    assertEquals("this needs the write or admin token: send it as 'Authorization: Bearer <token>'",
        missing.reason());
    ApiException read = assertThrows(ApiException.class, () -> ALL.check(AccessLevel.READ, "Bearer nope"));
    assertEquals("the token given is none of this deployment's tokens; this needs the read, write or admin token",
        read.reason());
    ApiException gap = assertThrows(ApiException.class,
        () -> AccessTokens.of("r", null, "a").check(AccessLevel.READ, null));
    assertTrue(gap.reason().startsWith("this needs the read or admin token"), gap.reason());
    ApiException low = assertThrows(ApiException.class, () -> ALL.check(AccessLevel.ADMIN, "Bearer r-tok"));
    assertEquals("a read token does not open this: it needs the admin token", low.reason());
    ApiException lowWrite = assertThrows(ApiException.class, () -> ALL.check(AccessLevel.WRITE, "Bearer r-tok"));
    assertEquals("a read token does not open this: it needs the write or admin token", lowWrite.reason());
    ApiException basic = assertThrows(ApiException.class, () -> ALL.check(AccessLevel.READ, "Basic abc"));
    assertTrue(basic.reason().contains("got 'Basic ...'"), basic.reason());
    // The refusal never echoes the token presented.
    ApiException guess = assertThrows(ApiException.class, () -> ALL.check(AccessLevel.READ, "Bearer s3cr3t-guess"));
    assertTrue(!guess.reason().contains("s3cr3t"), guess.reason());
  }

  @Test
  void theSchemeIsCaseInsensitiveAndTheTokenTrimmed() {
    ALL.check(AccessLevel.ADMIN, "bearer a-tok");
    ALL.check(AccessLevel.ADMIN, "BEARER   a-tok ");
  }

  @Test
  void nodesSendTheLowestOfTheirTokensThatOpensTheRequest() {
    assertEquals(Optional.of("Bearer r-tok"), ALL.credentialFor(AccessLevel.READ));
    assertEquals(Optional.of("Bearer w-tok"), ALL.credentialFor(AccessLevel.WRITE));
    assertEquals(Optional.of("Bearer a-tok"), ALL.credentialFor(AccessLevel.ADMIN));
    AccessTokens adminOnly = AccessTokens.of("", "", "a-tok");
    assertEquals(Optional.of("Bearer a-tok"), adminOnly.credentialFor(AccessLevel.READ));
    assertEquals(Optional.empty(), AccessTokens.none().credentialFor(AccessLevel.ADMIN));
    assertEquals(Optional.empty(), AccessTokens.of("r-tok", null, null).credentialFor(AccessLevel.WRITE));
  }

  @Test
  void badTokensAreRefusedNamingTheOption() {
    IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
        () -> AccessTokens.of("x-tok", "y-tok", "x-tok"));
    assertTrue(same.getMessage().startsWith("--read-token and --admin-token are the same token"), same.getMessage());
    IllegalArgumentException space = assertThrows(IllegalArgumentException.class,
        () -> AccessTokens.of(null, "two words", null));
    assertTrue(space.getMessage().startsWith("--write-token: expected visible ASCII"), space.getMessage());
  }

  @Test
  void aLevelCoversItselfAndTheOnesBelow() {
    assertTrue(AccessLevel.ADMIN.covers(AccessLevel.READ));
    assertTrue(AccessLevel.WRITE.covers(AccessLevel.WRITE));
    assertTrue(!AccessLevel.READ.covers(AccessLevel.WRITE));
  }

  private static String outcome(AccessTokens tokens, AccessLevel level, String header) {
    try {
      tokens.check(level, header);
      return "ok";
    } catch (ApiException e) {
      return e.status() + " " + e.type();
    }
  }
}
