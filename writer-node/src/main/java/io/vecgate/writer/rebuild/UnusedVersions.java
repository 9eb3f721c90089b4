package io.vecgate.writer.rebuild;

import io.vecgate.coordination.alias.Alias;
import io.vecgate.coordination.alias.AliasTarget;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Garbage collection of rebuild versions ({@code gc}): drops the versioned spaces
 * ({@code prefix_vN}) of the prefixes rebuilds have used that nothing needs any more — no alias
 * serves them, builds them (key2) or keeps them in its history for rollback, and no running job
 * is creating them. A rebuild's own clean-up keeps {@code --rebuild-keep} versions by number;
 * this catches what that leaves behind (a version rolled back from, history trimmed by later
 * switches, an alias deleted or moved by hand). Spaces not named by a rebuild are never touched.
 */
public final class UnusedVersions {

  private static final Pattern VERSIONED = Pattern.compile("(.+)_v(\\d{1,9})");

  private final RebuildJobs jobs;
  private final Supplier<List<Alias>> aliases;
  private final RebuildTarget target;

  /** @param aliases every alias as the writer's local copy holds it */
  public UnusedVersions(RebuildJobs jobs, Supplier<List<Alias>> aliases, RebuildTarget target) {
    this.jobs = jobs;
    this.aliases = aliases;
    this.target = target;
  }

  /** Drops the unused versioned spaces; completes with their {@code db/space} names. */
  public Future<List<String>> collect() {
    Map<String, Set<String>> prefixes = new TreeMap<>();
    Set<String> wanted = new HashSet<>();
    for (JobStatus s : jobs.list()) {
      if (s.space() == null) {
        continue;
      }
      Matcher m = VERSIONED.matcher(s.space());
      if (m.matches()) {
        prefixes.computeIfAbsent(s.db(), k -> new TreeSet<>()).add(m.group(1));
      }
      if (!s.state().ended()) {
        wanted.add(s.db() + "/" + s.space());
      }
    }
    for (Alias a : aliases.get()) {
      if (a.serving() != null) {
        wanted.add(a.serving().key());
      }
      if (a.building() != null) {
        wanted.add(a.building().key());
      }
      a.history().stream().map(AliasTarget::key).forEach(wanted::add);
    }
    List<Future<List<String>>> perDb = new ArrayList<>();
    prefixes.forEach((db, ps) -> perDb.add(target.spaces(db).compose(spaces -> {
      List<String> unused = unused(db, spaces, ps, wanted);
      List<Future<Void>> drops = unused.stream().map(s -> target.drop(db, s)).toList();
      return Future.all(drops).map(v -> unused.stream().map(s -> db + "/" + s).toList());
    })));
    return Future.all(perDb).map(all -> {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        out.addAll(all.<List<String>>resultAt(i));
      }
      return out;
    });
  }

  /** The spaces of {@code db} that are versions of one of {@code prefixes} and not in {@code wanted}. */
  static List<String> unused(String db, List<String> spaces, Set<String> prefixes, Set<String> wanted) {
    List<String> out = new ArrayList<>();
    for (String s : spaces) {
      Matcher m = VERSIONED.matcher(s);
      if (m.matches() && prefixes.contains(m.group(1)) && !wanted.contains(db + "/" + s)) {
        out.add(s);
      }
    }
    return out;
  }
}
