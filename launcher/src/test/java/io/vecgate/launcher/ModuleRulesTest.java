package io.vecgate.launcher;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The dependencies between the modules that must never exist (docs/internals.md, "Modules"). Most of them the poms
 * already forbid; this test keeps them forbidden when a pom changes, and checks the ones a pom cannot express:
 * which packages of the engine the gateway may use. It lives in the launcher because only the launcher sees every
 * module's classes. Only production classes are imported.
 */
@AnalyzeClasses(
    packages = "io.vecgate",
    importOptions = {ImportOption.DoNotIncludeTests.class, ModuleRulesTest.DoNotIncludeTestJars.class})
class ModuleRulesTest {

  private static final String ENGINE = "io.vecgate.engine..";
  private static final String FILES = "io.vecgate.files..";

  private static final String READER_WRITER_APART = "readers and the writer are separate roles that meet only "
      + "through the files on disk and the messages of the protocol module; what both need belongs in store, protocol "
      + "or the engine";

  /**
   * The engine's public API the gateway uses: the top-K reduce, the partitioner (through SpaceSchema, to find a
   * document's partition) and the metric. Of engine.vector only Metric: the rest of that package is kernels.
   */
  private static final String[] GATEWAY_ENGINE_PACKAGES = {"io.vecgate.engine.topk", "io.vecgate.engine.partition"};
  private static final String GATEWAY_ENGINE_CLASS = "io\\.vecgate\\.engine\\.vector\\.Metric(\\$.*)?";

  @ArchTest
  static void engineAndFilesStandAlone(JavaClasses classes) {
    noClasses().that().resideInAnyPackage(ENGINE, FILES)
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.vertx..", "io.grpc..", "com.hazelcast..", "..redis..", "io.micrometer..")
        .orShould().dependOnClassesThat(resideInAPackage("io.vecgate..").and(not(resideInAnyPackage(ENGINE, FILES))))
        .because("the engine and its file helpers are a library: the writer, the readers and the bench embed them, "
            + "and they must stay testable in memory without a cluster, a transport or a metrics registry")
        .check(classes);
  }

  @ArchTest
  static void readerAndWriterDoNotKnowEachOther(JavaClasses classes) {
    noClasses().that().resideInAPackage("io.vecgate.reader..")
        .should().dependOnClassesThat().resideInAPackage("io.vecgate.writer..")
        .because(READER_WRITER_APART)
        .check(classes);
    noClasses().that().resideInAPackage("io.vecgate.writer..")
        .should().dependOnClassesThat().resideInAPackage("io.vecgate.reader..")
        .because(READER_WRITER_APART)
        .check(classes);
  }

  @ArchTest
  static void gatewayUsesOnlyTheEnginesPublicApi(JavaClasses classes) {
    noClasses().that().resideInAPackage("io.vecgate.gateway..")
        .should().dependOnClassesThat(resideInAPackage(ENGINE)
            .and(not(resideInAnyPackage(GATEWAY_ENGINE_PACKAGES)))
            .and(not(nameMatching(GATEWAY_ENGINE_CLASS))))
        .because("the gateway holds no index: it reduces the readers' top-K answers, routes a document _id to its "
            + "partition and names metrics; index implementations, segment files and kernels are the readers' and "
            + "the writer's")
        .check(classes);
  }

  @ArchTest
  static void coordinationDoesNotKnowTheEngine(JavaClasses classes) {
    noClasses().that().resideInAPackage("io.vecgate.coordination..")
        .should().dependOnClassesThat().resideInAPackage(ENGINE)
        .because("coordination keeps aliases and liveness in Redis or Hazelcast; it names versions and nodes, "
            + "never indexes, so it must not pull the engine into every role")
        .check(classes);
  }

  @ArchTest
  static void sharedModulesDoNotKnowTheRoles(JavaClasses classes) {
    noClasses().that().resideInAnyPackage("io.vecgate.protocol..", "io.vecgate.milvus..", FILES, "io.vecgate.space..",
            "io.vecgate.store..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vecgate.runtime..", "io.vecgate.coordination..",
            "io.vecgate.writer..", "io.vecgate.reader..", "io.vecgate.gateway..")
        .because("protocol, milvus-protocol, files, space and store are shared by the roles; a dependency upwards would make every "
            + "role carry the others and would be a cycle between modules")
        .check(classes);
  }

  @ArchTest
  static void onlyTheGatewaysMilvusApiSpeaksMilvus(JavaClasses classes) {
    noClasses().that().resideInAPackage("io.vecgate..")
        .and().resideOutsideOfPackages("io.vecgate.milvus..", "io.vecgate.gateway.milvus..", "io.vecgate.bench.milvus..")
        .should().dependOnClassesThat().resideInAPackage("io.vecgate.milvus..")
        .because("the Milvus API is a transport shell of the gateway (gateway.milvus) over the read and write paths "
            + "every API shares (bench.milvus is its client, to measure it); the rest of vecgate speaks its own protocol")
        .check(classes);
  }

  @ArchTest
  static void runtimeDoesNotKnowTheRoles(JavaClasses classes) {
    noClasses().that().resideInAPackage("io.vecgate.runtime..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vecgate.coordination..",
            "io.vecgate.writer..", "io.vecgate.reader..", "io.vecgate.gateway..")
        .because("the runtime starts any node (cluster, registry, endpoints); the roles build on it, not it on them")
        .check(classes);
  }

  /**
   * Leaves out test jars (a module's {@code -tests.jar}, e.g. coordination's test kit): {@link
   * ImportOption.DoNotIncludeTests} knows only test folders, and after {@code package} Maven puts the jar on the
   * class path instead of the folder.
   */
  static final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }
}
