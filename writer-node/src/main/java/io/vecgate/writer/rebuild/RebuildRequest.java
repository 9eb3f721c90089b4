package io.vecgate.writer.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgate.protocol.api.ApiException;
import io.vecgate.protocol.json.StrictJson;
import io.vecgate.space.SpaceSchemas;
import io.vecgate.writer.backup.Backup;
import io.vecgate.writer.rebuild.source.SourceSpec;
import java.util.Set;

/**
 * A full rebuild of the space behind an alias, as {@code POST /_jobs/rebuild} takes it:
 * {@code {"db", "alias", "source", "space": {create body; its name is the prefix of the
 * versioned names}, "checks": {"min_count", "max_drop_percent"}, "warmup_queries"}}.
 *
 * @param space the create body of the new space, without its name (set per version)
 * @param prefix the space name prefix: version n is named {@code prefix_vn}
 * @param minCount the fewest documents the source and the new version must hold (0: no floor)
 * @param maxDropPercent how much smaller than the serving version the source and the new
 *     version may be, in percent (100: no limit)
 */
public record RebuildRequest(String db, String alias, SourceSpec source, ObjectNode space, String prefix, long minCount,
                             double maxDropPercent, int warmupQueries) {

  static final Set<String> KEYS = Set.of("db", "alias", "source", "space", "checks", "warmup_queries");
  static final Set<String> CHECK_KEYS = Set.of("min_count", "max_drop_percent");
  public static final int MAX_WARMUP_QUERIES = 100_000;

  /** Parses and checks a request body; the space body itself is checked when the space is created. */
  public static RebuildRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw StrictJson.wrongType("body", "a JSON object", body);
    }
    StrictJson.requireOnly(body, "", KEYS);
    String db = SpaceSchemas.checkName("db", StrictJson.string(body, "db", "", null));
    String alias = SpaceSchemas.checkName("alias", StrictJson.string(body, "alias", "", null));
    JsonNode sourceNode = body.get("source");
    if (sourceNode == null) {
      throw StrictJson.missing("", "source", "an object {\"type\": \"postgres\" | \"file\", ...}");
    }
    SourceSpec source = SourceSpec.parse(sourceNode, "source");
    ObjectNode space;
    if (source instanceof SourceSpec.Backup backup) {
      // A restore: the space is the backup's (its versioned name back to the prefix), with what the request overrides.
      space = Backup.spaceBody(backup.path());
      space.put("name", space.path("name").asText().replaceFirst("_v[0-9]+$", ""));
      ObjectNode given = StrictJson.object(body, "space", "", false);
      if (given != null) {
        space.setAll(given.deepCopy());
      }
    } else {
      space = StrictJson.object(body, "space", "", true).deepCopy();
    }
    String prefix = SpaceSchemas.checkName("space.name", StrictJson.string(space, "name", "space", null));
    if (prefix.length() > 100) {
      throw ApiException.badRequest("space.name: expected at most 100 characters (versions add a suffix), got "
          + prefix.length());
    }
    space.remove("name");
    long minCount = 0;
    double maxDrop = 100;
    ObjectNode checks = StrictJson.object(body, "checks", "", false);
    if (checks != null) {
      StrictJson.requireOnly(checks, "checks", CHECK_KEYS);
      JsonNode mc = checks.get("min_count");
      if (mc != null && !mc.isNull()) {
        if (!mc.canConvertToLong() || !mc.isIntegralNumber() || mc.longValue() < 0) {
          throw StrictJson.wrongType("checks.min_count", "an integer >= 0", mc);
        }
        minCount = mc.longValue();
      }
      JsonNode md = checks.get("max_drop_percent");
      if (md != null && !md.isNull()) {
        maxDrop = StrictJson.number(md, "checks.max_drop_percent");
        if (maxDrop < 0 || maxDrop > 100) {
          throw ApiException.badRequest("checks.max_drop_percent: expected a number in [0, 100], got " + md);
        }
      }
    }
    int warmup = StrictJson.integer(body, "warmup_queries", "", 100, 0, MAX_WARMUP_QUERIES);
    return new RebuildRequest(db, alias, source, space, prefix, minCount, maxDrop, warmup);
  }

  /** The create body of version {@code name}. */
  public ObjectNode spaceBody(String name) {
    ObjectNode b = space.deepCopy();
    b.put("name", name);
    return b;
  }
}
