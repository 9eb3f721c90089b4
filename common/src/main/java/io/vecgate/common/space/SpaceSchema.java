package io.vecgate.common.space;

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
 * @param fields every field, in the order given; exactly one is a vector
 * @param body the create request's body
 */
public record SpaceSchema(String db, String name, int partitionNum, int replicaNum, String partitioner,
                          EngineSpec engine, List<FieldSpec> fields, ObjectNode body) {

  public SpaceSchema {
    fields = List.copyOf(fields);
  }

  /** The vector field. */
  public FieldSpec vectorField() {
    return fields.stream().filter(FieldSpec::isVector).findFirst().orElseThrow();
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

  public int dimension() {
    return vectorField().dimension();
  }

  public Partitioner newPartitioner() {
    return Partitioner.of(partitioner, partitionNum);
  }
}
