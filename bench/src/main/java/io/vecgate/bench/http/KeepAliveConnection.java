package io.vecgate.bench.http;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One HTTP/1.1 keep-alive connection, used by one thread with plain blocking socket I/O: the
 * leanest client there is, so that a latency measured through it is the service's and not the
 * client's (the JDK's HttpClient hands every response between its selector and executor threads,
 * which costs a tenth of a millisecond and more on a busy 2-core machine). It understands what the
 * service sends: a status line, headers and a {@code Content-Length} body; anything else is an
 * {@link IOException}. Reconnects once when the server closed an idle connection.
 */
public final class KeepAliveConnection implements AutoCloseable {

  /** A response: the status and the body bytes. */
  public record Response(int status, byte[] body) {}

  private final String host;
  private final int port;
  private final byte[] requestHead;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  /** A connection for POSTs of JSON to {@code target} (http only). */
  public KeepAliveConnection(URI target) {
    this(target, Optional.empty());
  }

  /** @param authorization the {@code Authorization} header every request carries (empty: none) */
  public KeepAliveConnection(URI target, Optional<String> authorization) {
    if (!"http".equals(target.getScheme())) {
      throw new IllegalArgumentException("only http:// URLs, got " + target);
    }
    this.host = target.getHost();
    this.port = target.getPort() > 0 ? target.getPort() : 80;
    String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    this.requestHead = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
        + authorization.map(a -> "\r\nAuthorization: " + a).orElse("")
        + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
  }

  /** POSTs {@code body} and reads the whole response. */
  public Response post(byte[] body) throws IOException {
    boolean fresh = socket == null;
    try {
      return exchange(body);
    } catch (IOException e) {
      close();
      if (fresh) {
        throw e;
      }
      // The server may have closed a connection idle for too long: one retry on a new one.
      return exchange(body);
    }
  }

  private Response exchange(byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }
    byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[requestHead.length + length.length + body.length];
    System.arraycopy(requestHead, 0, request, 0, requestHead.length);
    System.arraycopy(length, 0, request, requestHead.length, length.length);
    System.arraycopy(body, 0, request, requestHead.length + length.length, body.length);
    out.write(request);
    out.flush();
    return readResponse();
  }

  private Response readResponse() throws IOException {
    String statusLine = readLine();
    if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    int contentLength = -1;
    boolean close = false;
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        contentLength = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        throw new IOException("chunked responses are not supported by this client");
      } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    if (contentLength < 0) {
      throw new IOException("response without Content-Length");
    }
    byte[] body = in.readNBytes(contentLength);
    if (body.length < contentLength) {
      throw new EOFException("response body cut at " + body.length + " of " + contentLength + " bytes");
    }
    if (close) {
      close();
    }
    return new Response(status, body);
  }

  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a socket we are done with: nothing to do about a failure.
      }
      socket = null;
    }
  }
}
