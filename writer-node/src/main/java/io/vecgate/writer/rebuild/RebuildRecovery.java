package io.vecgate.writer.rebuild;

import io.vecgate.protocol.api.ApiException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ends a rebuild that did not finish by itself — one that failed or was cancelled, or one found
 * running when the writer starts (its writer was killed) — from what the alias store says is true,
 * never from the job's own record alone: the job file says how far the job may have got (a phase
 * is durable before its side effects start), the store says whether the switch happened.
 *
 * <p>The decision ({@link #decide}, docs/internals.md "Rebuild recovery"):
 * <ul>
 *   <li><b>switched</b> — the alias serves the new space, or the job had recorded {@link Phase#CLEANUP}
 *       (recorded only after the compare-and-set succeeded), or it had recorded {@link Phase#SWITCH}
 *       and the new space is in the alias's history (switched, then moved on by hand): the job
 *       succeeded; key2 is cleared if it still names the new space and older versions are cleaned
 *       up (never one an alias serves);</li>
 *   <li><b>switched by hand</b> — the alias serves the new space though the job never reached its
 *       switch: nothing is dropped, key2 is cleared, the job fails saying so;</li>
 *   <li><b>not switched</b> — the new space is dropped if the job may have created it (phase
 *       {@link Phase#CREATE} or later) and no alias serves it, key2 is cleared if it names it, and
 *       the job ends failed (or cancelled).</li>
 * </ul>
 */
final class RebuildRecovery {

  /** Whether the job's alias switch happened. */
  enum Outcome { SWITCHED, SWITCHED_BY_HAND, NOT_SWITCHED }

  /** What to do: the outcome and the changes it calls for. */
  record Decision(Outcome outcome, boolean dropNew, boolean clearBuilding, boolean cleanup) {}

  private final RebuildTarget target;
  private final AliasTargets aliases;
  private final int keepPrevious;

  RebuildRecovery(RebuildTarget target, AliasTargets aliases, int keepPrevious) {
    this.target = target;
    this.aliases = aliases;
    this.keepPrevious = keepPrevious;
  }

  /**
   * The decision table.
   *
   * @param phase the phase the job had recorded (durable before its side effects)
   * @param newSpace the space the job builds, or null when it had not named one
   * @param alias the alias as the store holds it now
   * @param newServedElsewhere whether some alias (this one or another) serves {@code newSpace}
   */
  static Decision decide(Phase phase, String newSpace, AliasState alias, boolean newServedElsewhere) {
    if (newSpace == null) {
      return new Decision(Outcome.NOT_SWITCHED, false, false, false);
    }
    boolean servesNew = newSpace.equals(alias.serving());
    boolean buildingNew = newSpace.equals(alias.building());
    boolean pastSwitch = phase.compareTo(Phase.SWITCH) >= 0;
    if (servesNew || phase == Phase.CLEANUP || (pastSwitch && alias.history().contains(newSpace))) {
      return pastSwitch ? new Decision(Outcome.SWITCHED, false, buildingNew, true)
          : new Decision(Outcome.SWITCHED_BY_HAND, false, buildingNew, false);
    }
    boolean drop = phase.compareTo(Phase.CREATE) >= 0 && !newServedElsewhere;
    return new Decision(Outcome.NOT_SWITCHED, drop, buildingNew, false);
  }

  /**
   * Reads the store, decides and acts; fails (changing nothing) when the store cannot be read.
   * Completes with the decision and what was done, in words for the job's error or alarm.
   */
  Future<Settled> settle(JobStatus s) {
    String space = s.space();
    if (space == null) {
      return Future.succeededFuture(new Settled(new Decision(Outcome.NOT_SWITCHED, false, false, false),
          "it had not named its new space; nothing to undo"));
    }
    return Future.all(aliases.state(s.db(), s.alias()), aliases.served(s.db())).compose(all -> {
      AliasState alias = all.resultAt(0);
      Set<String> served = all.resultAt(1);
      Decision d = decide(s.phase(), space, alias, served.contains(space));
      List<String> done = new ArrayList<>();
      done.add("the alias store says " + s.alias() + (alias.serving() == null ? " serves nothing"
          : " serves " + alias.serving()) + (alias.building() == null ? "" : ", key2 " + alias.building()));
      Future<Void> acts = Future.succeededFuture();
      if (d.clearBuilding()) {
        acts = acts.compose(v -> aliases.clearBuilding(s.db(), s.alias())).onSuccess(v -> done.add("key2 cleared"));
      }
      if (d.dropNew()) {
        acts = acts.compose(v -> target.drop(s.db(), space)).onSuccess(v -> done.add(space + " dropped"));
      } else if (d.outcome() == Outcome.NOT_SWITCHED) {
        done.add(space + " kept (" + (served.contains(space) ? "an alias serves it" : "the job had not created it")
            + ")");
      }
      if (d.cleanup()) {
        acts = acts.compose(v -> cleanup(s.db(), space, served).onSuccess(dropped -> {
          if (!dropped.isEmpty()) {
            done.add("older versions dropped: " + dropped);
          }
        }).mapEmpty());
      }
      return acts.map(v -> new Settled(d, String.join("; ", done)));
    });
  }

  /** The clean-up of a switched rebuild: older versions beyond those kept, never one an alias serves. */
  Future<List<String>> cleanup(String db, String newest, Set<String> served) {
    return target.spaces(db).compose(spaces -> {
      List<String> drop = RebuildVersions.toDrop(spaces, newest, keepPrevious, served);
      List<Future<Void>> drops = new ArrayList<>();
      for (String s : drop) {
        drops.add(target.drop(db, s));
      }
      return Future.all(drops).map(v -> drop);
    });
  }

  /** The clean-up of a switched rebuild, reading what the aliases serve first. */
  Future<List<String>> cleanup(String db, String newest) {
    return aliases.served(db).compose(served -> cleanup(db, newest, served));
  }

  /** A decision carried out, and what was done, in words. */
  record Settled(Decision decision, String done) {}

  static String describe(Throwable e) {
    if (e instanceof ApiException api) {
      return api.reason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
