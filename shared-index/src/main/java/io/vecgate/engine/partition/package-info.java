/** Which partition a document id belongs to: modulo for numeric ids, murmur3 for any string. */
package io.vecgate.engine.partition;
