package io.vecgate.writer.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/**
 * A successful answer of the writer.
 *
 * @param status the HTTP status
 * @param body the JSON response body, as the caller of the HTTP route gets it
 * @param aliasRevision an alias change's revision in the alias store (the gateway brings its local
 *     copy up to it before it answers); empty for anything else
 * @param version a refresh's or refreshed write's published version that holds the write (the
 *     gateway answers once its readers serve it); empty for anything else
 */
public record WriterReply(int status, JsonNode body, OptionalLong aliasRevision, OptionalLong version) {

  /** An answer with neither an alias revision nor a version. */
  public static WriterReply of(int status, JsonNode body) {
    return new WriterReply(status, body, OptionalLong.empty(), OptionalLong.empty());
  }

  /** This answer, made by the alias change of store revision {@code revision}. */
  public WriterReply withAliasRevision(long revision) {
    return new WriterReply(status, body, OptionalLong.of(revision), version);
  }

  /** This answer, its write held by published version {@code v}. */
  public WriterReply withVersion(long v) {
    return new WriterReply(status, body, aliasRevision, OptionalLong.of(v));
  }
}
