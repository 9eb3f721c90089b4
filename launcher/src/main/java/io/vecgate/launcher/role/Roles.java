package io.vecgate.launcher.role;

import io.vecgate.gateway.GatewayConfig;
import io.vecgate.gateway.GatewayVerticle;
import io.vecgate.reader.ReaderConfig;
import io.vecgate.reader.ReaderVerticle;
import io.vecgate.writer.WriterConfig;
import io.vecgate.writer.WriterVerticle;
import io.vecgate.writer.service.DefaultWriterService;

/** How each role's verticles are made from the options and deployed. */
final class Roles {

  private Roles() {}

  static WriterVerticle writer(NodeOptions node, WriterOptions w, long maxBodyBytes) {
    int buildThreads = w.buildThreads > 0 ? w.buildThreads : DefaultWriterService.Settings.defaultBuildThreads();
    return new WriterVerticle(new WriterConfig(node.dataDir, w.refreshInterval, w.sealDocs, w.versionsKept,
        w.mergeSegments, maxBodyBytes, w.flatBelow, w.quietPeriod, buildThreads, w.busyIndexDocs));
  }

  static ReaderVerticle reader(NodeOptions node, ReaderOptions r, String nodeId) {
    int threads = r.searchThreads > 0 ? r.searchThreads : Runtime.getRuntime().availableProcessors();
    return new ReaderVerticle(new ReaderConfig(node.dataDir, nodeId, node.host, r.grpcPort, r.warmupQueries,
        r.releaseGrace, threads, r.partitions));
  }

  static GatewayVerticle gateway(GatewayConfig config) {
    return new GatewayVerticle(config);
  }
}
