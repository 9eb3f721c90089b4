package io.vecgate.gateway.milvus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.gateway.milvus.MilvusCollections.Collection;
import io.vecgate.milvus.proto.BoolArray;
import io.vecgate.milvus.proto.CollectionSchema;
import io.vecgate.milvus.proto.ConsistencyLevel;
import io.vecgate.milvus.proto.DataType;
import io.vecgate.milvus.proto.FieldData;
import io.vecgate.milvus.proto.FieldSchema;
import io.vecgate.milvus.proto.FloatArray;
import io.vecgate.milvus.proto.KeyValuePair;
import io.vecgate.milvus.proto.LongArray;
import io.vecgate.milvus.proto.ScalarField;
import io.vecgate.milvus.proto.StringArray;
import io.vecgate.milvus.proto.VectorField;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.reader.FieldVector;
import io.vecgate.protocol.reader.Hit;
import io.vecgate.space.FieldType;
import io.vecgate.space.SpaceSchema;
import io.vecgate.space.SpaceSchemas;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Milvus schema as a space and back, and rows as {@code _bulk} lines and back, without a cluster. */
class MilvusCollectionsTest {

  private static FieldSchema field(String name, DataType type, KeyValuePair... params) {
    return FieldSchema.newBuilder().setName(name).setDataType(type).addAllTypeParams(List.of(params)).build();
  }

  private static KeyValuePair kv(String k, String v) {
    return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
  }

  private static CollectionSchema schema(FieldSchema... extra) {
    return CollectionSchema.newBuilder().setName("c")
        .addFields(FieldSchema.newBuilder().setName("pk").setDataType(DataType.Int64).setIsPrimaryKey(true))
        .addFields(field("vec", DataType.FloatVector, kv("dim", "2")))
        .addFields(field("flag", DataType.Bool))
        .addFields(field("name", DataType.VarChar, kv("max_length", "32")))
        .addAllFields(List.of(extra)).build();
  }

  private static Collection collection() {
    ObjectNode body = MilvusCollections.spaceBody("c", schema(), 2, ConsistencyLevel.Strong, 7);
    SpaceSchema space = SpaceSchemas.parse("default", body);
    return Collection.of(space);
  }

  @Test
  void aSchemaBecomesASpaceThatDescribesAsItCame() {
    Collection c = collection();
    assertEquals(FieldType.LONG, c.space().field("pk").type());
    assertEquals(FieldType.INTEGER, c.space().field("flag").type(), "a Bool is stored as an integer");
    assertEquals(FieldType.KEYWORD, c.space().field("name").type());
    assertEquals(2, c.space().partitionNum());
    assertEquals("HNSW", c.space().body().path("engine").path("retrieval_type").asText(), "AUTOINDEX until CreateIndex");
    assertEquals(ConsistencyLevel.Strong, c.consistency());
    CollectionSchema back = MilvusCollections.describe(c, "default");
    assertEquals(List.of("pk", "vec", "flag", "name"), back.getFieldsList().stream().map(FieldSchema::getName).toList());
    assertEquals(List.of(DataType.Int64, DataType.FloatVector, DataType.Bool, DataType.VarChar),
        back.getFieldsList().stream().map(FieldSchema::getDataType).toList());
    assertTrue(back.getFields(0).getIsPrimaryKey());
    assertEquals(kv("dim", "2"), back.getFields(1).getTypeParams(0));
    assertEquals(100, back.getFields(0).getFieldID());
  }

  @Test
  void whatVecgateCannotHoldIsRefusedNamingTheField() {
    assertTrue(assertThrows(ApiException.class, () -> MilvusCollections.spaceBody("c",
        schema(field("json", DataType.JSON)), 1, ConsistencyLevel.Bounded, 0)).getMessage().contains("schema.fields.json"));
    assertTrue(assertThrows(ApiException.class, () -> MilvusCollections.spaceBody("c",
        schema(field("v2", DataType.FloatVector, kv("dim", "2"))), 1, ConsistencyLevel.Bounded, 0)).getMessage()
        .contains("exactly one FloatVector"));
    assertTrue(assertThrows(ApiException.class, () -> MilvusCollections.spaceBody("c",
        schema().toBuilder().setEnableDynamicField(true).build(), 1, ConsistencyLevel.Bounded, 0)).getMessage()
        .contains("dynamic"));
    CollectionSchema noKey = CollectionSchema.newBuilder().addFields(field("vec", DataType.FloatVector, kv("dim", "2")))
        .build();
    assertTrue(assertThrows(ApiException.class, () -> MilvusCollections.spaceBody("c", noKey, 1,
        ConsistencyLevel.Bounded, 0)).getMessage().contains("primary key"));
    assertTrue(assertThrows(ApiException.class, () -> MilvusCollections.engine("DISKANN", "L2", java.util.Map.of()))
        .getMessage().contains("index_type"));
  }

  @Test
  void rowsGoAsBulkLinesAndComeBackAsColumns() {
    Collection c = collection();
    List<FieldData> columns = List.of(
        FieldData.newBuilder().setFieldName("pk").setType(DataType.Int64)
            .setScalars(ScalarField.newBuilder().setLongData(LongArray.newBuilder().addData(5).addData(6))).build(),
        FieldData.newBuilder().setFieldName("vec").setType(DataType.FloatVector).setVectors(VectorField.newBuilder()
            .setDim(2).setFloatVector(FloatArray.newBuilder().addData(1).addData(2).addData(3).addData(4))).build(),
        FieldData.newBuilder().setFieldName("flag").setType(DataType.Bool)
            .setScalars(ScalarField.newBuilder().setBoolData(BoolArray.newBuilder().addData(true).addData(false))).build(),
        FieldData.newBuilder().setFieldName("name").setType(DataType.VarChar)
            .setScalars(ScalarField.newBuilder().setStringData(StringArray.newBuilder().addData("a").addData("b"))).build());
    MilvusRows.Bulk bulk = MilvusRows.toBulk(c, columns, 2, () -> 0);
    assertEquals(List.of(5L, 6L), bulk.ids());
    assertEquals("""
        {"index":{"_id":"5"}}
        {"pk":5,"vec":{"feature":[1.0,2.0]},"flag":1,"name":"a"}
        {"index":{"_id":"6"}}
        {"pk":6,"vec":{"feature":[3.0,4.0]},"flag":0,"name":"b"}
        """, bulk.ndjson().toString());

    Hit hit = Hit.newBuilder().setId("6").setSourceJson("{\"flag\":0,\"name\":\"b\"}")
        .addVectors(FieldVector.newBuilder().setField("vec").addValues(3).addValues(4)).build();
    List<FieldData> back = MilvusRows.columns(c, List.of("pk", "flag", "name", "vec"), List.of(hit));
    assertEquals(List.of(6L), back.get(0).getScalars().getLongData().getDataList());
    assertEquals(List.of(false), back.get(1).getScalars().getBoolData().getDataList());
    assertEquals(List.of("b"), back.get(2).getScalars().getStringData().getDataList());
    assertEquals(List.of(3f, 4f), back.get(3).getVectors().getFloatVector().getDataList());

    assertTrue(assertThrows(ApiException.class, () -> MilvusRows.toBulk(c, columns.subList(0, 3), 2, () -> 0))
        .getMessage().contains("missing the field 'name'"));
  }
}
