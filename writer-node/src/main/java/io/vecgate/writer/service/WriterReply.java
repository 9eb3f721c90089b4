package io.vecgate.writer.service;

/**
 * A successful answer of the writer.
 *
 * @param status the HTTP status
 * @param body the JSON response body (UTF-8)
 */
public record WriterReply(int status, byte[] body) {}
