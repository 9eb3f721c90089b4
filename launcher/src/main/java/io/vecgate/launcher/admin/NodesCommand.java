package io.vecgate.launcher.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code admin nodes}: every node of the registry with its role, endpoints, versions and load. */
@Command(name = "nodes", mixinStandardHelpOptions = true,
    description = "Every node: role, id, endpoints, versions loaded, QPS, heap used/max, mapped bytes.")
final class NodesCommand implements Callable<Integer> {

  @ParentCommand AdminCommand admin;

  @Override
  public Integer call() {
    return admin.run(s -> {
      List<JsonObject> nodes = s.nodes();
      admin.answer(new JsonObject().put("nodes", new JsonArray(nodes)), () -> Render.nodes(nodes));
      return 0;
    });
  }
}
