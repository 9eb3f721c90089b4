package io.vecgate.reader.search;

/**
 * One document of an answer.
 *
 * @param seq the internal document number (the engine id), unique in a version
 * @param score the public score (see {@code Metric.toScore}); 0 for get-by-id
 * @param id the document's {@code _id}
 * @param sourceJson the projected scalar fields as a JSON object
 * @param vector the stored vector, or {@code null} when not asked for
 */
public record DocHit(long seq, float score, String id, String sourceJson, float[] vector) {}
