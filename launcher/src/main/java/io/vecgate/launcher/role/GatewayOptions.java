package io.vecgate.launcher.role;

import io.vecgate.gateway.GatewayConfig;
import picocli.CommandLine.Option;

/** Options of the gateway role (also taken by standalone). */
public final class GatewayOptions {

  @Option(names = "--read-port", defaultValue = "8080", description = "Read endpoint port (env READ_PORT). Default: ${DEFAULT-VALUE}")
  int readPort;

  @Option(names = "--write-port", defaultValue = "8081", description = "Write endpoint port (env WRITE_PORT). Default: ${DEFAULT-VALUE}")
  int writePort;

  @Option(names = "--max-body-bytes", defaultValue = "67108864", description = "Largest request body (413 above). Default: ${DEFAULT-VALUE}")
  long maxBodyBytes;

  @Option(names = "--max-top-k", defaultValue = "10000", description = "Largest search size. Default: ${DEFAULT-VALUE}")
  int maxTopK;

  @Option(names = "--in-process-readers", defaultValue = "true", arity = "1",
      description = "Call readers running in this JVM (standalone) directly instead of over loopback gRPC. Default: ${DEFAULT-VALUE}")
  boolean inProcessReaders;

  GatewayConfig config(String host) {
    GatewayConfig d = GatewayConfig.defaults();
    return new GatewayConfig(host, readPort, writePort, maxBodyBytes, maxTopK, d.readerExpiryMillis(), d.writerTimeoutMillis(),
        inProcessReaders);
  }
}
