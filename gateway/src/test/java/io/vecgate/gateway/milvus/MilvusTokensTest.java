package io.vecgate.gateway.milvus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.access.AccessLevel;
import io.vecgate.protocol.access.AccessTokens;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The Milvus methods' levels and the SDK's two ways of sending a credential. */
class MilvusTokensTest {

  final MilvusTokens access = new MilvusTokens(AccessTokens.of("r3ad", "wr1te", "adm1n"));

  static MultiMap sent(String credential) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    if (credential != null) {
      m.add("authorization", Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8)));
    }
    return m;
  }

  @Test
  void eachMethodNeedsTheLevelOfItsHttpTwin() {
    assertNull(MilvusTokens.levelOf("Connect"));
    assertEquals(AccessLevel.READ, MilvusTokens.levelOf("Search"));
    assertEquals(AccessLevel.READ, MilvusTokens.levelOf("Query"));
    assertEquals(AccessLevel.WRITE, MilvusTokens.levelOf("Insert"));
    assertEquals(AccessLevel.ADMIN, MilvusTokens.levelOf("CreateCollection"));
    assertEquals(AccessLevel.ADMIN, MilvusTokens.levelOf("AlterAlias"));
    assertEquals(AccessLevel.ADMIN, MilvusTokens.levelOf("SomethingNew"), "unknown methods need the most");
  }

  @Test
  void aTokenOrAUserPasswordPairOpensWhatItsTokenOpens() {
    assertNull(access.refusal("Connect", sent(null)));
    assertNull(access.refusal("Search", sent("r3ad")));
    assertNull(access.refusal("Search", sent("root:wr1te")), "password(token): the part after the colon");
    assertNull(access.refusal("Insert", sent("adm1n")));
    String none = access.refusal("Search", sent(null));
    assertTrue(none.startsWith("token_required"), none);
    String low = access.refusal("CreateCollection", sent("wr1te"));
    assertTrue(low.startsWith("token_insufficient"), low);
    String wrong = access.refusal("Search", sent("guess"));
    assertTrue(wrong.startsWith("token_invalid"), wrong);
    assertNull(new MilvusTokens(AccessTokens.none()).refusal("DropCollection", sent(null)), "no tokens: open");
  }
}
