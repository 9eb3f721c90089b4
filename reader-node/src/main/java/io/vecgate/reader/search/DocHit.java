package io.vecgate.reader.search;

import java.util.Map;

/**
 * One document of an answer.
 *
 * @param seq the internal document number (the WAL sequence number of the record that wrote the
 *     document), unique in its space and never reused
 * @param score the hit's score: the weighted sum of its fields' scores (see {@link VersionSearcher}); 0 for get-by-id
 * @param id the document's {@code _id}
 * @param sourceJson the projected scalar fields as a JSON object
 * @param vectors the stored vectors asked for, by vector field in schema order; empty when none was
 * @param fieldScores each {@code query.sum} entry's own score, in the query's order, or {@code null}
 *     when not asked for ({@link SearchPlan.Draft#fieldScores()})
 */
public record DocHit(long seq, float score, String id, String sourceJson, Map<String, float[]> vectors,
                     float[] fieldScores) {}
