package io.vecgate.protocol.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import org.junit.jupiter.api.Test;

class AdminTokenTest {

  @Test
  void offTakesEverything() {
    AdminToken off = AdminToken.of("");
    assertFalse(off.enabled());
    off.check(null);
    off.check("anything");
    off.checkBearer(null);
    assertFalse(AdminToken.of(null).enabled());
  }

  @Test
  void busTokenMissingIs401AndWrongIs403() {
    AdminToken t = AdminToken.of("s3cret");
    assertTrue(t.enabled());
    t.check("s3cret");
    ApiException missing = assertThrows(ApiException.class, () -> t.check(null));
    assertEquals(401, missing.status());
    assertEquals("admin_token_required", missing.type());
    assertTrue(missing.reason().contains("--admin-token"), missing.reason());
    assertEquals(401, assertThrows(ApiException.class, () -> t.check("")).status());
    ApiException wrong = assertThrows(ApiException.class, () -> t.check("s3cre"));
    assertEquals(403, wrong.status());
    assertEquals("admin_token_invalid", wrong.type());
    assertFalse(wrong.reason().contains("s3cret"), "a refusal never shows the token");
  }

  @Test
  void bearerHeader() {
    AdminToken t = AdminToken.of("s3cret");
    t.checkBearer("Bearer s3cret");
    t.checkBearer("bearer s3cret");
    ApiException none = assertThrows(ApiException.class, () -> t.checkBearer(null));
    assertEquals(401, none.status());
    assertTrue(none.reason().startsWith("Authorization:"), none.reason());
    ApiException basic = assertThrows(ApiException.class, () -> t.checkBearer("Basic czNjcmV0"));
    assertEquals(401, basic.status());
    assertFalse(basic.reason().contains("czNjcmV0"), "the credentials are not echoed: " + basic.reason());
    assertEquals(403, assertThrows(ApiException.class, () -> t.checkBearer("Bearer nope")).status());
  }
}
