package io.vecgate.writer.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import io.vecgate.store.DataLayout;
import io.vecgate.writer.TestSpaces;
import io.vecgate.writer.service.DefaultWriterService;
import io.vecgate.writer.service.ServiceSettings;
import io.vecgate.writer.service.WriterNotices;
import io.vecgate.writer.service.WriterReply;
import io.vecgate.writer.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code vecgate.writer} request decoded into one call of the service, without a socket. */
class WriterCallsTest {

  @TempDir Path dir;
  DefaultWriterService service;
  WriterCalls calls;
  final WriteAdmission admission = new WriteAdmission(new WriteAdmission.Limits(1, 1 << 20, Duration.ofSeconds(2)));

  @BeforeEach
  void open() throws Exception {
    service = DefaultWriterService.open(new DataLayout(dir),
        new ServiceSettings(StoreConfig.DEFAULTS, 100_000, 1 << 20), WriterNotices.NONE);
    calls = new WriterCalls(service, 1 << 20, admission);
    ok("db.create", "{\"name\":\"db\"}");
    ok("space.create", TestSpaces.body("s", 4), "db", "db");
  }

  @AfterEach
  void close() {
    service.close();
  }

  WriterReply call(String op, String body, String... headers) throws Exception {
    Map<String, String> h = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return calls.call(op, h, body.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
  }

  WriterReply ok(String op, String body, String... headers) throws Exception {
    return call(op, body, headers);
  }

  ApiException refused(String op, String body, String... headers) throws Exception {
    try {
      call(op, body, headers);
    } catch (ExecutionException e) {
      return (ApiException) e.getCause();
    }
    throw new AssertionError(op + " was accepted");
  }

  String doc() {
    return TestSpaces.docJson(TestSpaces.vector(new Random(1), 4), 1f);
  }

  @Test
  void whatDoesNotDecodeIsRefusedBeforeTheService() throws Exception {
    assertEquals(413, refused("doc.bulk", "x".repeat((1 << 20) + 1), "db", "db", "space", "s").status());
    ApiException unknown = refused("nope.op", "");
    assertEquals(400, unknown.status());
    assertTrue(unknown.reason().contains("'nope.op'"), unknown.reason());
    assertEquals(400, refused(null, "").status());
    ApiException noSpace = refused("doc.delete", "", "db", "db", "id", "x");
    assertEquals("space: missing; the route must name the space", noSpace.reason());
    assertEquals(400, refused("db.create", "{not json").status());
    assertEquals(400, refused("job.rebuild", "").status());
  }

  @Test
  void aRefreshedWriteNamesItsVersionAndOthersDoNot() throws Exception {
    WriterReply plain = ok("doc.index", doc(), "db", "db", "space", "s", "id", "a");
    assertEquals(201, plain.status());
    assertEquals(OptionalLong.empty(), plain.version());
    for (String refresh : new String[] {"true", "", "wait_for"}) {
      WriterReply refreshed = ok("doc.index", doc(), "db", "db", "space", "s", "id", "a", "q.refresh", refresh);
      assertTrue(refreshed.version().isPresent(), "q.refresh=" + refresh);
      assertEquals(refreshed.version().getAsLong(), TestSpaces.newestVersion(new DataLayout(dir), "db", "s"));
    }
    assertEquals(OptionalLong.empty(), ok("doc.delete", "", "db", "db", "space", "s", "id", "a", "q.refresh", "false")
        .version());
    WriterReply refresh = ok("refresh", "", "db", "db", "space", "s");
    assertEquals(refresh.version().getAsLong(), refresh.body().at("/data/version").asLong());
    assertEquals(4, refresh.version().getAsLong(), "three refreshed writes, then the delete");
  }

  @Test
  void jobsAnswer503WithoutJobs() throws Exception {
    assertEquals(503, refused("job.list", "").status());
    assertEquals(503, refused("gc", "").status());
  }

  @Test
  void aWritePastTheAdmissionLimitIsShedWholeAndTheNextOneIsTaken() throws Exception {
    String bulk = "{\"index\":{\"_id\":\"b1\"}}\n" + doc() + "\n{\"index\":{\"_id\":\"b2\"}}\n" + doc() + "\n";
    try (WriteAdmission.Permit inFlight = admission.admit("doc.bulk", 10)) {
      ApiException shed = refused("doc.bulk", bulk, "db", "db", "space", "s", "q.refresh", "true");
      assertEquals(429, shed.status());
      assertEquals("too_many_requests", shed.type());
      assertEquals(2, shed.retryAfterSeconds());
      assertTrue(shed.reason().contains("1 document writes in flight (--max-inflight-writes)"), shed.reason());
      assertEquals(429, refused("doc.index", doc(), "db", "db", "space", "s", "id", "a").status());
      assertEquals(429, refused("doc.delete", "", "db", "db", "space", "s", "id", "a").status());
      ok("space.get", "", "db", "db", "space", "s"); // reads and admin calls are not shed
      assertEquals(3, admission.shed());
    }
    assertEquals(0, ok("refresh", "", "db", "db", "space", "s").body().at("/data/version").asLong(),
        "nothing of the shed writes was applied: nothing to publish");
    ok("doc.bulk", bulk, "db", "db", "space", "s", "q.refresh", "true");
    assertEquals(java.util.Set.of("b1", "b2"), TestSpaces.publishedIds(new DataLayout(dir), "db", "s"));
    assertEquals(0, admission.inFlight(), "the permit is given back when the write is answered");
    assertEquals(0, admission.inFlightBytes());
  }

  @Test
  void unknownKeysBodiesWhereNoneIsTakenAndBadRefreshValuesAreRefused() throws Exception {
    ApiException extra = refused("db.create", "{\"name\": \"db2\", \"extra\": 1}");
    assertTrue(extra.reason().startsWith("extra: unknown field"), extra.reason());
    ApiException body = refused("refresh", "{\"x\": 1}", "db", "db", "space", "s");
    assertEquals("request body: this request takes none, got 8 bytes", body.reason());
    ok("refresh", "\n", "db", "db", "space", "s"); // whitespace is no body
    ApiException refresh = refused("doc.index", doc(), "db", "db", "space", "s", "id", "a", "q.refresh", "yes");
    assertEquals("URL parameter 'refresh': expected true, false or wait_for, got 'yes'", refresh.reason());
    assertEquals(201, ok("doc.index", doc(), "db", "db", "space", "s", "id", "a", "q.refresh", "false").status());
  }
}
