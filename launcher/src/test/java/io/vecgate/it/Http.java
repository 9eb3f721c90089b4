package io.vecgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking HTTP client for the integration tests: JSON in, status and JSON out. */
public final class Http {

  public static final ObjectMapper JSON = new ObjectMapper();

  /** A response: its status, its raw body and the body parsed (null when not JSON). */
  public record Reply(int status, String body, JsonNode json) {
    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final String token;

  public Http(String base) {
    this(base, null);
  }

  /** @param token sent as {@code Authorization: Bearer <token>} with every request (null: none) */
  public Http(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** The same endpoint with {@code token} (null: none) instead. */
  public Http withToken(String token) {
    return new Http(base, token);
  }

  /** The endpoint's URL, e.g. {@code http://127.0.0.1:8080}. */
  public String base() {
    return base;
  }

  public Reply get(String path) {
    return send("GET", path, null);
  }

  public Reply delete(String path) {
    return send("DELETE", path, null);
  }

  public Reply post(String path, String body) {
    return send("POST", path, body);
  }

  public Reply put(String path, String body) {
    return send("PUT", path, body);
  }

  public Reply send(String method, String path, String body) {
    return send(method, path, body, "application/json");
  }

  /** With another content type: {@code curl -d} sends application/x-www-form-urlencoded. */
  public Reply send(String method, String path, String body, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", contentType);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = r.body().isEmpty() ? null : JSON.readTree(r.body());
      } catch (IOException notJson) {
        // left null: the caller sees the raw body
      }
      return new Reply(r.statusCode(), r.body(), json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
