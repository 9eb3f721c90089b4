package io.vecgate.launcher.admin;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine;

/** A version named on the command line as {@code db/space@version}. */
record VersionArg(String db, String space, long version) {

  /** @throws CommandLine.TypeConversionException saying what was expected */
  static VersionArg parse(String s) {
    int slash = s.indexOf('/');
    int at = s.lastIndexOf('@');
    if (slash <= 0 || at <= slash + 1 || at == s.length() - 1) {
      throw new CommandLine.TypeConversionException("expected db/space@version (e.g. shop/items@3), got '" + s + "'");
    }
    long v;
    try {
      v = Long.parseLong(s.substring(at + 1));
    } catch (NumberFormatException e) {
      v = 0;
    }
    if (v < 1) {
      throw new CommandLine.TypeConversionException("the version of '" + s + "': expected a number >= 1, got '"
          + s.substring(at + 1) + "'");
    }
    return new VersionArg(s.substring(0, slash), s.substring(slash + 1, at), v);
  }

  JsonObject body() {
    return new JsonObject().put("db", db).put("space", space).put("version", version);
  }

  @Override
  public String toString() {
    return db + "/" + space + "@" + version;
  }

  /** Picocli's converter. */
  static final class Converter implements CommandLine.ITypeConverter<VersionArg> {
    @Override
    public VersionArg convert(String value) {
      return parse(value);
    }
  }
}
