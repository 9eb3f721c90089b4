package io.vecgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vecgate.coordination.alias.AliasStore;
import io.vecgate.coordination.alias.AliasStoreConfig;
import io.vecgate.coordination.alias.AliasStores;
import io.vecgate.gateway.search.SearchQueryParser;
import io.vecgate.gateway.vearch.V35Requests;
import io.vecgate.runtime.cluster.ClusterBootstrap;
import io.vecgate.runtime.node.NodeEndpoints;
import io.vecgate.space.SpaceSchemas;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is the HTTP API contract; this holds it to the code so that it cannot drift. The
 * routes table (after {@code <!-- routes -->}) must list exactly the routes of the routers a
 * started gateway serves, read and write endpoint, and the node endpoints of a writer or reader
 * ({@code node}), each with the token it needs (every route must declare one, {@code open}
 * included); each key table (after {@code <!-- keys: name -->}) exactly the keys its parser
 * accepts.
 */
class ApiContractTest {

  /**
   * A route as the contract names it: endpoint, method ({@code ANY}: every method), path in
   * {@code {param}} form and the token it needs ({@code read}, {@code write}, {@code admin},
   * {@code open}).
   */
  record Entry(String endpoint, String method, String path, String token) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return endpoint + " " + method + " " + path + " (" + token + ")";
    }
  }

  /** Each key table of api.md and the keys the parser it documents accepts. */
  static final Map<String, Set<String>> KEY_TABLES = Map.ofEntries(
      Map.entry("search", SearchQueryParser.TOP),
      Map.entry("search.query", SearchQueryParser.QUERY),
      Map.entry("search.query.sum", SearchQueryParser.SUM),
      Map.entry("search.retrieval_param", SearchQueryParser.RETRIEVAL),
      Map.entry("search.range", SearchQueryParser.RANGE),
      Map.entry("space", SpaceSchemas.TOP),
      Map.entry("space.engine", SpaceSchemas.ENGINE),
      Map.entry("space.field", SpaceSchemas.FIELD),
      Map.entry("v35.space", V35Requests.SPACE),
      Map.entry("v35.field", V35Requests.FIELD),
      Map.entry("v35.search", V35Requests.SEARCH),
      Map.entry("v35.query", V35Requests.QUERY));

  private static final Pattern PARAM = Pattern.compile(":([A-Za-z_]+)");
  private static final Pattern KEYS_MARK = Pattern.compile("<!-- keys: ([a-z0-9_.]+) -->");

  private static Vertx vertx;
  private static GatewayVerticle gateway;
  private static List<String> doc;

  @BeforeAll
  static void startGateway() throws Exception {
    vertx = Vertx.vertx();
    AliasStore aliases = await(AliasStores.open(vertx, AliasStoreConfig.defaults()));
    gateway = new GatewayVerticle(GatewayConfig.defaults().withPorts(0, 0), aliases);
    await(vertx.deployVerticle(gateway));
    doc = Files.readAllLines(apiMd());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void theRoutesTableListsEveryRouteOfBothEndpointsAndTheNodeEndpoints() {
    Set<Entry> served = new TreeSet<>();
    collect(gateway.readRoutes(), "", "read", served, TOKEN_OF);
    collect(gateway.writeRoutes(), "", "write", served, TOKEN_OF);
    Router node = Router.router(vertx);
    NodeEndpoints.mount(node, "writer", () -> null, ClusterBootstrap.newRegistry());
    collect(node, "", "node", served, r -> "open");
    Set<Entry> documented = documentedRoutes(doc);
    assertDiff(served, documented, "routes");
  }

  /** A route added without saying what it needs fails here, before it is served unchecked. */
  @Test
  void everyRouteOfBothEndpointsDeclaresTheTokenItNeeds() {
    Set<Entry> served = new TreeSet<>();
    collect(gateway.readRoutes(), "", "read", served, TOKEN_OF);
    collect(gateway.writeRoutes(), "", "write", served, TOKEN_OF);
    List<Entry> undeclared = served.stream().filter(e -> e.token().equals(UNDECLARED)).toList();
    assertEquals(List.of(), undeclared, "routes mounted without RouteAccess.require or RouteAccess.open");
    assertTrue(served.size() > 40, "the walk found the routes: " + served.size());
  }

  private static final String UNDECLARED = "undeclared";
  private static final Function<Route, String> TOKEN_OF = r -> gateway.levelOf(r).orElse(UNDECLARED);

  @Test
  void theKeyTablesListExactlyTheKeysTheParsersAccept() {
    Map<String, Set<String>> documented = documentedKeys(doc);
    assertEquals(new TreeSet<>(KEY_TABLES.keySet()), new TreeSet<>(documented.keySet()),
        "the key tables of docs/api.md (<!-- keys: name --> markers) and the ones this test knows");
    KEY_TABLES.forEach((name, accepted) -> assertDiff(accepted, documented.get(name), "keys of '" + name + "'"));
  }

  /** Fails naming {@code what} is only in the code and what is only in api.md. */
  private static <T extends Comparable<T>> void assertDiff(Set<T> code, Set<T> documented, String what) {
    Set<T> missing = new TreeSet<>(code);
    missing.removeAll(documented);
    Set<T> extra = new TreeSet<>(documented);
    extra.removeAll(code);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      fail("docs/api.md and the code disagree:\n  " + what + " in the code, missing from docs/api.md: " + missing
          + "\n  " + what + " in docs/api.md that the code does not have: " + extra);
    }
  }

  /**
   * The routes of {@code router} and its sub-routers. A route without a path is a handler of every
   * request (the body reader, the catch-all, the failure handler), not a route of the contract.
   */
  static void collect(Router router, String prefix, String endpoint, Set<Entry> out, Function<Route, String> token) {
    for (Route r : router.getRoutes()) {
      String path = r.getPath() == null ? null : prefix + r.getPath();
      if (r.getSubRouter() != null) {
        collect(r.getSubRouter(), path == null ? prefix : path.replaceAll("/\\*?$", ""), endpoint, out, token);
        continue;
      }
      if (path == null) {
        continue;
      }
      if (!r.isExactPath() && !path.endsWith("*")) {
        path = path + "*";
      }
      String braces = PARAM.matcher(path).replaceAll("{$1}");
      if (r.methods() == null || r.methods().isEmpty()) {
        out.add(new Entry(endpoint, "ANY", braces, token.apply(r)));
      } else {
        for (HttpMethod m : r.methods()) {
          out.add(new Entry(endpoint, m.name(), braces, token.apply(r)));
        }
      }
    }
  }

  /**
   * The rows of the table after {@code <!-- routes -->}: {@code | endpoints | method | `path` | token | ...},
   * the endpoints comma-separated.
   */
  static Set<Entry> documentedRoutes(List<String> lines) {
    int at = lines.indexOf("<!-- routes -->");
    assertTrue(at >= 0, "docs/api.md has no <!-- routes --> marker before its routes table");
    Set<Entry> out = new TreeSet<>();
    for (List<String> row : table(lines, at + 1)) {
      String path = row.get(2).replace("`", "").trim();
      for (String endpoint : row.get(0).split(",")) {
        Entry e = new Entry(endpoint.trim(), row.get(1).trim(), path, row.get(3).trim());
        assertTrue(out.add(e), "docs/api.md lists " + e + " twice");
      }
    }
    return out;
  }

  /** The first-column keys ({@code `key`}) of the table after each {@code <!-- keys: name -->} marker. */
  static Map<String, Set<String>> documentedKeys(List<String> lines) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = KEYS_MARK.matcher(lines.get(i).trim());
      if (m.matches()) {
        Set<String> keys = new TreeSet<>();
        for (List<String> row : table(lines, i + 1)) {
          keys.add(row.get(0).replace("`", "").trim());
        }
        assertTrue(out.put(m.group(1), keys) == null, "docs/api.md has two key tables '" + m.group(1) + "'");
      }
    }
    return out;
  }

  /**
   * The body rows of the Markdown table that starts at or after {@code from} (blank lines skipped;
   * it may be indented, as in a list), cells trimmed.
   */
  private static List<List<String>> table(List<String> lines, int from) {
    int i = from;
    while (i < lines.size() && lines.get(i).isBlank()) {
      i++;
    }
    assertTrue(i + 1 < lines.size() && lines.get(i).trim().startsWith("|") && lines.get(i + 1).trim().startsWith("|-"),
        "docs/api.md: expected a table at line " + (i + 1));
    List<List<String>> rows = new ArrayList<>();
    for (i += 2; i < lines.size() && lines.get(i).trim().startsWith("|"); i++) {
      String row = lines.get(i).trim();
      List<String> cells = new ArrayList<>();
      // Cells split on | outside backticks (a path or a type may hold one).
      StringBuilder cell = new StringBuilder();
      boolean code = false;
      for (int k = 1; k < row.length(); k++) {
        char c = row.charAt(k);
        if (c == '`') {
          code = !code;
        }
        if (c == '|' && !code) {
          cells.add(cell.toString().trim());
          cell.setLength(0);
        } else {
          cell.append(c);
        }
      }
      rows.add(cells);
    }
    return rows;
  }

  private static Path apiMd() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("docs").resolve("api.md");
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalStateException("docs/api.md not found above " + Path.of("").toAbsolutePath());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
