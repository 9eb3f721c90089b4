package io.vecgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.it.Http.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few hundred generated malformed requests against every endpoint of the standalone service:
 * none gets a 5xx, every refusal is a JSON error with a reason, the node stays healthy, and the
 * stored data is unchanged.
 */
class BadInputIT {

  @TempDir Path data;

  record Bad(String method, String path, String body, boolean onRead, boolean mayPass) {
    Bad(String method, String path, String body, boolean onRead) {
      this(method, path, body, onRead, false);
    }
  }

  static final String DOC = "{\"price\": 1.5, \"brand\": \"x\", \"stock\": 3, \"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}}";
  static final String SEARCH = "{\"query\": {\"sum\": [{\"field\": \"vec\", \"feature\": [1,2,3,4,5,6,7,8]}]}, \"size\": 5}";

  static List<Bad> generate(long seed) {
    Random r = new Random(seed);
    List<Bad> out = new ArrayList<>();
    String[] docs = {
        "{\"vec\": {\"feature\": [1,2,3]}}", "{\"vec\": {\"feature\": []}}", "{\"vec\": [1,2,3,4,5,6,7,8]}",
        "{\"vec\": {\"feature\": [1,2,3,4,5,6,7,\"NaN\"]}}", "{\"vec\": {\"feature\": [1,2,3,4,5,6,7,NaN]}}",
        "{\"vec\": {\"feature\": [1,2,3,4,5,6,7,1e39]}}", "{\"price\": \"cheap\", \"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}}",
        "{\"stock\": 1.5, \"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}}", "{\"stock\": 99999999999, \"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}}",
        "{\"colour\": 1, \"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}}", "{\"price\": 1}", "[]", "null", "42", "\"doc\"", "",
        "{\"brand\": 7, \"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}}", "{\"vec\": {\"feature\": [1,2,3,4,5,6,7,8], \"x\": 1}}",
        "{\"_id\": {}, \"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}}", "{\"vec\": {\"feature\": [1,2,3,4,5,6,7,8]}} trailing",
    };
    for (String d : docs) {
      out.add(new Bad("POST", "/shop/items", d, false));
      out.add(new Bad("POST", "/shop/items/x1", d, false));
    }
    String[] searches = {
        SEARCH.replace("\"size\": 5", "\"size\": 100000"), SEARCH.replace("\"size\": 5", "\"size\": -1"),
        SEARCH.replace("\"size\": 5", "\"size\": \"5\""), SEARCH.replace("[1,2,3,4,5,6,7,8]", "[1,2,3]"),
        SEARCH.replace("[1,2,3,4,5,6,7,8]", "[]"), SEARCH.replace("\"vec\"", "\"price\""),
        SEARCH.replace("\"vec\"", "\"nope\""), SEARCH.replace("\"size\"", "\"sizes\""), "{}", "{\"query\": {}}",
        "{\"query\": {\"sum\": []}}", "{\"query\": {\"sum\": [{}]}}", "not json", "",
        SEARCH.replace("}]}", "}], \"filter\": [{\"range\": {\"brand\": {\"gte\": 1}}}]}"),
        SEARCH.replace("}]}", "}], \"filter\": [{\"range\": {\"nope\": {\"gte\": 1}}}]}"),
        SEARCH.replace("}]}", "}], \"filter\": [{\"term\": {\"stock\": [\"a\"]}}]}"),
        SEARCH.replace("}]}", "}], \"filter\": [{\"term\": {\"brand\": [\"a\"], \"operator\": \"xor\"}}]}"),
        SEARCH.replace("}]}", "}], \"filter\": {\"range\": 1}}"), SEARCH.replace("\"size\": 5", "\"retrieval_param\": {\"nprobe\": 0}"),
        SEARCH.replace("\"size\": 5", "\"sort\": [{\"nope\": \"asc\"}]"), SEARCH.replace("\"size\": 5", "\"fields\": [\"nope\"]"),
        SEARCH.replace("\"size\": 5", "\"is_brute_search\": 2"), SEARCH.replace("\"size\": 5", "\"client_type\": \"boss\""),
    };
    for (String s : searches) {
      out.add(new Bad("POST", "/shop/items/_search", s, true));
    }
    out.add(new Bad("POST", "/shop/items/_search?size=abc", SEARCH, true));
    out.add(new Bad("POST", "/shop/items/_search?sise=3", SEARCH, true));
    out.add(new Bad("POST", "/shop/nospace/_search", SEARCH, true));
    out.add(new Bad("POST", "/nodb/items/_search", SEARCH, true));
    out.add(new Bad("POST", "/shop/items", DOC, true));
    out.add(new Bad("PUT", "/db/_create", "{\"name\": \"x\"}", true));
    out.add(new Bad("DELETE", "/shop/items/d1", null, true));
    out.add(new Bad("PUT", "/db/_create", "{\"name\": \"bad name\"}", false));
    out.add(new Bad("PUT", "/db/_create", "{\"name\": \"shop\"}", false));
    out.add(new Bad("PUT", "/db/_create", "{\"nam\": \"x\"}", false));
    out.add(new Bad("DELETE", "/db/shop", null, false));
    out.add(new Bad("PUT", "/space/shop/_create", "{\"name\": \"s2\", \"engine\": {\"retrieval_type\": \"IVFFLAT\", "
        + "\"retrieval_params\": {}}, \"properties\": {\"v\": {\"type\": \"vector\", \"dimension\": 4}}}", false));
    out.add(new Bad("PUT", "/space/nodb/_create", "{}", false));
    out.add(new Bad("POST", "/alias/a1/dbs/shop/spaces/nospace", null, false));
    out.add(new Bad("PUT", "/alias/missing/dbs/shop/spaces/items", null, false));
    out.add(new Bad("POST", "/alias/9bad/dbs/shop/spaces/items", null, false));
    out.add(new Bad("POST", "/alias/a2/dbs/nodb/spaces/items", null, false));
    out.add(new Bad("POST", "/alias/missing/_rollback", null, false));
    out.add(new Bad("DELETE", "/alias/missing", null, false));
    out.add(new Bad("PUT", "/alias/a3/dbs/shop/spaces/items?if=x", null, false));
    out.add(new Bad("GET", "/alias/missing", null, true));
    out.add(new Bad("GET", "/alias?all=1", null, true));
    out.add(new Bad("POST", "/shop/nospace", DOC, false));
    out.add(new Bad("POST", "/shop/items/_search", SEARCH, false));
    out.add(new Bad("GET", "/shop/items/d1", null, false));
    out.add(new Bad("POST", "/shop/items?refresh=maybe&x=1", DOC, false));
    // Strict everywhere: unknown keys, bodies where none is taken, bad URL parameter values,
    // Vearch keys that would do nothing, the Vearch 3.5 routes.
    out.add(new Bad("PUT", "/db/_create", "{\"name\": \"x2\", \"extra\": 1}", false));
    out.add(new Bad("POST", "/shop/items/_refresh", "{\"x\": 1}", false));
    out.add(new Bad("GET", "/db/shop", "{\"x\": 1}", true));
    out.add(new Bad("GET", "/alias", "{\"x\": 1}", false));
    out.add(new Bad("DELETE", "/shop/items/d1", "{\"x\": 1}", false));
    out.add(new Bad("POST", "/shop/items/x9?refresh=yes", DOC, false));
    out.add(new Bad("PUT", "/space/shop/_create", "{\"name\": \"s3\", \"replica_num\": 3, \"engine\": {\"retrieval_type\": "
        + "\"FLAT\"}, \"properties\": {\"v\": {\"type\": \"vector\", \"dimension\": 4}}}", false));
    out.add(new Bad("PUT", "/space/shop/_create", "{\"name\": \"s4\", \"engine\": {\"retrieval_type\": \"FLAT\"}, "
        + "\"properties\": {\"v\": {\"type\": \"vector\", \"dimension\": 4, \"store_type\": \"RocksDB\"}}}", false));
    out.add(new Bad("POST", "/document/upsert", "{\"db_name\": \"shop\", \"space_name\": \"items\", \"documents\": "
        + "[{\"vec\": [1,2]}]}", false, true)); // 200: the document is refused in its entry, as 3.5 does
    out.add(new Bad("POST", "/document/upsert", "{\"db_name\": \"shop\", \"space_name\": \"items\"}", false));
    out.add(new Bad("POST", "/document/delete", "{\"db_name\": \"shop\", \"space_name\": \"items\", \"x\": 1}", false));
    out.add(new Bad("POST", "/document/search", "{\"db_name\": \"shop\", \"space_name\": \"items\", \"vectors\": "
        + "[{\"field\": \"vec\", \"feature\": [1]}]}", true));
    out.add(new Bad("POST", "/document/query", "{\"db_name\": \"shop\", \"space_name\": \"items\", \"document_ids\": []}", true));
    out.add(new Bad("POST", "/dbs/shop/spaces", "{\"name\": \"s5\", \"fields\": []}", false));
    out.add(new Bad("GET", "/dbs/shop?timeout=soon", null, true));
    // Random corruptions of valid bodies: truncations, byte flips, deep nesting.
    for (int i = 0; i < 250; i++) {
      String base = r.nextBoolean() ? DOC : SEARCH;
      String mutated = switch (r.nextInt(3)) {
        case 0 -> base.substring(0, 1 + r.nextInt(base.length() - 2));
        case 1 -> {
          char[] c = base.toCharArray();
          c[r.nextInt(c.length)] = "{}[]\",:x9-.".charAt(r.nextInt(11));
          yield new String(c);
        }
        default -> "[".repeat(1 + r.nextInt(3000));
      };
      boolean search = base.equals(SEARCH);
      // A flipped byte may still leave a valid request (a digit for a digit): those may succeed.
      out.add(new Bad("POST", search ? "/shop/items/_search" : "/shop/items/x" + i, mutated, search, true));
    }
    // Bulk bodies: per-item errors with line numbers, never a 5xx.
    String[] bulks = {
        "{\"index\": {\"_id\": \"b1\"}}\n{\"vec\": {\"feature\": [1,2]}}\n",
        "{\"index\": {\"_id\": \"b1\"}}\nnot json\n", "{\"update\": {\"_id\": \"b1\"}}\n" + DOC + "\n",
        "garbage", "{\"index\": {}}\n", "{\"delete\": {}}\n", "\n\n\n", "{\"index\": {\"_id\": \"b1\"}}\n",
    };
    for (String b : bulks) {
      out.add(new Bad("POST", "/shop/items/_bulk", b, false));
    }
    return out;
  }

  /** Documents a mutated body stored after all (a flipped digit is still a valid document): they must exist. */
  static int accepted(Standalone s, List<Bad> bad) {
    int n = 0;
    for (Bad b : bad) {
      if (b.mayPass() && !b.onRead() && s.read.get(b.path()).status() == 200) {
        n++;
      }
    }
    return n;
  }

  @Test
  void malformedRequestsGet4xxAndChangeNothing() throws Exception {
    try (Standalone s = Standalone.start(data)) {
      StandaloneApiIT.setUp(s, StandaloneApiIT.vectors(1, StandaloneApiIT.N));
      StandaloneApiIT.awaitCount(s, "items", StandaloneApiIT.N);
      String before = s.read.get("/shop/items/d7").body();
      List<Bad> bad = generate(2026);
      assertTrue(bad.size() >= 250, "generated " + bad.size());
      for (Bad b : bad) {
        Reply r = (b.onRead() ? s.read : s.write).send(b.method(), b.path(), b.body());
        assertTrue(r.status() < 500, () -> b + " -> " + r);
        if (r.status() >= 400) {
          assertTrue(r.json() != null && !r.json().path("error").path("reason").asText().isEmpty(), () -> b + " -> " + r);
        } else if (!b.mayPass()) {
          // Only bulk bodies succeed as a whole, with every item refused.
          assertTrue(b.path().endsWith("_bulk"), () -> b + " -> " + r);
          r.json().path("items").forEach(item -> item.fields().forEachRemaining(e ->
              assertTrue(e.getValue().path("status").asInt() >= 400, () -> b + " -> " + r)));
        }
      }
      // A body over the limit (64 MiB here) is refused with 413 before it is read.
      Reply huge = s.write.post("/shop/items/_bulk", "x".repeat((64 << 20) + 1));
      assertEquals(413, huge.status(), huge::toString);
      assertTrue(huge.json().path("error").path("reason").asText().contains("max-body-bytes"), huge::toString);
      assertEquals(200, s.read.get("/health/ready").status());
      assertEquals(200, s.write.get("/health/live").status());
      StandaloneApiIT.ok(s.write.post("/shop/items/_refresh", null));
      StandaloneApiIT.awaitCount(s, "items", StandaloneApiIT.N + accepted(s, bad));
      assertEquals(before, s.read.get("/shop/items/d7").body());
      assertEquals(StandaloneApiIT.N + accepted(s, bad), s.read.get("/space/shop/items").json().path("data").path("doc_num").asInt());
      assertEquals(1, s.read.get("/db/_list").json().path("data").size());
      assertEquals(0, s.read.get("/alias").json().path("data").size(), "no alias was made");
    }
  }
}
