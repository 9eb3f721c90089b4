/**
 * Scalar columns (int, long, float, double, keyword) stored beside the vectors of a segment,
 * and the filters built from them: {@link io.vecgate.engine.column.Filters} turns range and term
 * predicates into the {@code FixedBitSet} of allowed ordinals a search takes.
 */
package io.vecgate.engine.column;
