package io.vecgate.space;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.engine.partition.Partitioner;
import java.util.List;

/**
 * A space as created with {@code PUT /space/{db}/_create}: validated, in engine terms, with the
 * request body it came from (kept verbatim so the catalog can persist and re-parse it).
 *
 * @param db the db it belongs to
 * @param name the space name
 * @param partitionNum partitions, >= 1
 * @param replicaNum replicas asked for (readers all hold all partitions unless assigned)
 * @param partitioner {@code murmur3} (the default, any id) or {@code modulo} (numeric ids)
 * @param engine index type, metric and parameters
 * @param fields every field, in the order given; at least one is a vector (several vector
 *     fields share the engine: index type, metric and parameters)
 * @param body the create request's body
 */
public record SpaceSchema(String db, String name, int partitionNum, int replicaNum, String partitioner,
                          EngineSpec engine, List<FieldSpec> fields, ObjectNode body) {

  public SpaceSchema {
    fields = List.copyOf(fields);
  }

  /** The vector fields, in order (the order of their vectors in {@link Document#vector()}). */
  public List<FieldSpec> vectorFields() {
    return fields.stream().filter(FieldSpec::isVector).toList();
  }

  /** The names of the vector fields, in order, for messages. */
  public List<String> vectorFieldNames() {
    return fields.stream().filter(FieldSpec::isVector).map(FieldSpec::name).toList();
  }

  /** The floats of a document's vectors: the sum of the vector fields' dimensions. */
  public int vectorLength() {
    return fields.stream().filter(FieldSpec::isVector).mapToInt(FieldSpec::dimension).sum();
  }

  /** Where vector field {@code f}'s floats start in {@link Document#vector()}. */
  public int vectorOffset(FieldSpec f) {
    int off = 0;
    for (FieldSpec v : fields) {
      if (v.isVector() && v.equals(f)) {
        return off;
      }
      if (v.isVector()) {
        off += v.dimension();
      }
    }
    throw new IllegalArgumentException(f.name() + " is not a vector field of space " + name);
  }

  /** The scalar fields, in order. */
  public List<FieldSpec> scalarFields() {
    return fields.stream().filter(f -> !f.isVector()).toList();
  }

  /** The field called {@code name}, or null. */
  public FieldSpec field(String name) {
    for (FieldSpec f : fields) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  public Partitioner newPartitioner() {
    return Partitioner.of(partitioner, partitionNum);
  }
}
