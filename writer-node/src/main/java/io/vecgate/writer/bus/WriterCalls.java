package io.vecgate.writer.bus;

import static io.vecgate.protocol.writer.WriterHeaders.ALIAS;
import static io.vecgate.protocol.writer.WriterHeaders.DB;
import static io.vecgate.protocol.writer.WriterHeaders.ID;
import static io.vecgate.protocol.writer.WriterHeaders.QUERY_PREFIX;
import static io.vecgate.protocol.writer.WriterHeaders.SPACE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.protocol.writer.SwitchGuard;
import io.vecgate.protocol.writer.WriterOp;
import io.vecgate.writer.service.Payload;
import io.vecgate.writer.service.WriterReply;
import io.vecgate.writer.service.WriterService;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Decodes one {@code vecgate.writer} request (docs/internals.md) into one typed call of the
 * {@link WriterService}: the {@code op} header names the operation, the route's parameters
 * ({@code db}, {@code space}, {@code id}, {@code alias}) and URL parameters ({@code q.refresh})
 * come as headers, and the body is a small JSON object (db, space and rebuild requests, parsed
 * here) or a payload the service parses against the space's schema (documents, bulk). Document
 * writes pass {@link WriteAdmission} first: past its limits they are shed with 429 untouched.
 */
public final class WriterCalls {

  private final WriterService service;
  private final long maxBodyBytes;
  private final WriteAdmission admission;

  /** @param maxBodyBytes larger bodies are refused with 413 */
  public WriterCalls(WriterService service, long maxBodyBytes) {
    this(service, maxBodyBytes, new WriteAdmission(WriteAdmission.Limits.DEFAULTS));
  }

  /**
   * @param maxBodyBytes larger bodies are refused with 413
   * @param admission what document writes must pass
   */
  public WriterCalls(WriterService service, long maxBodyBytes, WriteAdmission admission) {
    this.service = service;
    this.maxBodyBytes = maxBodyBytes;
    this.admission = admission;
  }

  /**
   * Runs the request. Never throws: a request that does not decode (a body over the limit, an
   * unknown operation, a missing route parameter, a malformed JSON body) fails the future with an
   * {@link ApiException}, as the service's own refusals do.
   *
   * @param op the {@code op} header (null when missing)
   * @param headers the other headers, one value each
   */
  public CompletableFuture<WriterReply> call(String op, Map<String, String> headers, byte[] body) {
    try {
      if (body.length > maxBodyBytes) {
        throw ApiException.tooLarge("request body: expected at most " + maxBodyBytes + " bytes, got " + body.length);
      }
      WriterOp known = WriterOp.fromWireName(op).orElseThrow(() -> ApiException.badRequest(
          "op: expected a writer operation (db.create, space.create, doc.bulk, ...), got '" + op + "'"));
      if (known != WriterOp.DOC_BULK && known != WriterOp.DOC_INDEX && known != WriterOp.DOC_DELETE) {
        return call(known, new Request(headers, body));
      }
      WriteAdmission.Permit permit = admission.admit(known.wireName(), body.length);
      CompletableFuture<WriterReply> reply;
      try {
        reply = call(known, new Request(headers, body));
      } catch (RuntimeException e) {
        permit.close();
        throw e;
      }
      return reply.whenComplete((r, e) -> permit.close());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The operations whose request has a body; the others refuse one rather than ignore it. */
  private static final Set<WriterOp> WITH_BODY = EnumSet.of(WriterOp.DB_CREATE, WriterOp.SPACE_CREATE,
      WriterOp.DOC_INDEX, WriterOp.DOC_BULK, WriterOp.JOB_REBUILD, WriterOp.BACKUP,
      WriterOp.RESTORE);

  private CompletableFuture<WriterReply> call(WriterOp op, Request r) {
    if (!WITH_BODY.contains(op) && !blank(r.body())) {
      throw ApiException.badRequest("request body: this request takes none, got " + r.body().length + " bytes");
    }
    r.refresh(); // a bad ?refresh= is refused whatever the operation
    return switch (op) {
      case DB_CREATE -> {
        ObjectNode db = r.json("the db");
        StrictJson.requireOnly(db, "", Set.of("name"));
        yield service.createDb(StrictJson.string(db, "name", "", null));
      }
      case DB_LIST -> service.listDbs();
      case DB_GET -> service.getDb(r.required(DB));
      case DB_DROP -> service.dropDb(r.required(DB));
      case SPACE_CREATE -> service.createSpace(r.required(DB), r.json(op.wireName()));
      case SPACE_GET -> service.getSpace(r.required(DB), r.required(SPACE));
      // GET /space/{db}/_list names the db in the path, GET /list/space?db= in the URL.
      case SPACE_LIST -> service.listSpaces(r.headers().containsKey(QUERY_PREFIX + DB) ? r.required(QUERY_PREFIX + DB)
          : r.required(DB));
      case SPACE_DROP -> service.dropSpace(r.required(DB), r.required(SPACE));
      case SPACE_COMPACT -> service.compact(r.required(DB), r.required(SPACE));
      case REFRESH -> service.refresh(r.required(DB), r.required(SPACE));
      case DOC_INDEX -> service.index(r.required(DB), r.required(SPACE), r.headers().get(ID), r.payload(), r.refresh());
      case DOC_BULK -> service.bulk(r.required(DB), r.required(SPACE), r.payload(), r.refresh());
      case DOC_DELETE -> service.delete(r.required(DB), r.required(SPACE), r.required(ID), r.refresh());
      case ALIAS_CREATE -> service.createAlias(r.required(ALIAS), r.required(DB), r.required(SPACE));
      case ALIAS_SWITCH -> service.switchAlias(r.required(ALIAS), r.required(DB), r.required(SPACE),
          SwitchGuard.fromHeaders(r.headers()));
      case ALIAS_ROLLBACK -> service.rollbackAlias(r.required(ALIAS), SwitchGuard.fromHeaders(r.headers()));
      case ALIAS_DELETE -> service.deleteAlias(r.required(ALIAS));
      case ALIAS_GET -> service.getAlias(r.required(ALIAS));
      case ALIAS_LIST -> service.listAliases();
      case JOB_REBUILD -> service.jobs().startRebuild(r.json("the rebuild request"));
      case JOB_GET -> service.jobs().getJob(r.required(ID));
      case JOB_LIST -> service.jobs().listJobs();
      case JOB_CANCEL -> service.jobs().cancelJob(r.required(ID));
      case GC -> service.jobs().collectGarbage();
      case BACKUP -> service.backup(r.json("the backup request"));
      case RESTORE -> service.jobs().restore(r.json("the restore request"));
      case CATALOG_GET -> service.catalog();
    };
  }

  /** Whether {@code body} holds nothing but whitespace (curl sends a newline, scripts an empty string). */
  private static boolean blank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** The headers and body of one request, read the way every operation reads them. */
  private record Request(Map<String, String> headers, byte[] body) {

    /** The route parameter {@code name}, refused with 400 when missing. */
    String required(String name) {
      String v = headers.get(name);
      if (v == null || v.isEmpty()) {
        throw ApiException.badRequest(name + ": missing; the route must name the " + name);
      }
      return v;
    }

    /**
     * {@code ?refresh}, {@code ?refresh=true} and {@code ?refresh=wait_for} publish before answering;
     * {@code ?refresh=false} and none do not; any other value is refused.
     */
    boolean refresh() {
      String v = headers.get(QUERY_PREFIX + "refresh");
      if (v == null || v.equals("false")) {
        return false;
      }
      if (v.isEmpty() || v.equals("true") || v.equals("wait_for")) {
        return true;
      }
      throw ApiException.badRequest("URL parameter 'refresh': expected true, false or wait_for, got '" + v + "'");
    }

    ObjectNode json(String what) {
      return StrictJson.parseObject(body, what);
    }

    Payload payload() {
      return new Payload(body);
    }
  }
}
