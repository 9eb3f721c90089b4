package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.common.api.ApiException;
import io.vecgate.common.json.StrictJson;
import io.vecgate.writer.service.WriterReply;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The writer's {@code job.*} operations behind the write endpoint's {@code /_jobs} routes:
 * {@code job.rebuild} ({@code POST /_jobs/rebuild}, 202 with the new job), {@code job.get}
 * ({@code GET /_jobs/{id}}), {@code job.list} ({@code GET /_jobs}) and {@code job.cancel}
 * ({@code DELETE /_jobs/{id}}).
 */
public final class JobsApi {

  /** Checks a request before a job is started: the space body parses, the db exists, the source opens. */
  @FunctionalInterface
  public interface Admission {
    Future<Void> check(RebuildRequest request);
  }

  private final RebuildJobs jobs;
  private final Admission admission;

  public JobsApi(RebuildJobs jobs, Admission admission) {
    this.jobs = jobs;
    this.admission = admission;
  }

  /** Whether {@code op} is one of these operations. */
  public static boolean handles(String op) {
    return op != null && op.startsWith("job.");
  }

  public Future<WriterReply> handle(String op, Map<String, String> headers, byte[] body) {
    try {
      return switch (op) {
        case "job.rebuild" -> {
          RebuildRequest request = RebuildRequest.parse(StrictJson.parseObject(body, "the rebuild request"));
          yield admission.check(request).map(v -> reply(202, jobs.start(request).toJson()));
        }
        case "job.get" -> Future.succeededFuture(reply(200, jobs.get(headers.get("id")).toJson()));
        case "job.cancel" -> Future.succeededFuture(reply(202, jobs.cancel(headers.get("id")).toJson()));
        case "job.list" -> {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          ArrayNode list = o.putArray("jobs");
          jobs.list().forEach(s -> list.add(s.toJson()));
          yield Future.succeededFuture(reply(200, o));
        }
        default -> Future.failedFuture(ApiException.badRequest("unknown job operation '" + op + "'"));
      };
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
  }

  private static WriterReply reply(int status, ObjectNode body) {
    return new WriterReply(status, body.toString().getBytes(StandardCharsets.UTF_8));
  }
}
