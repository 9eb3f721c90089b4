package io.vecgate.files;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The format of every JSON file of the data directory ({@code catalog.json}, {@code version.json},
 * {@code manifest.json}, {@code jobs/{id}.json}, {@code aliases.json}): the file's own JSON, its
 * <em>body</em>, wrapped in a header that names the kind of file, its format version and the
 * CRC32C of the body's bytes.
 * The whole file stays JSON ({@code jq .body catalog.json} shows the body).
 *
 * <h2>Layout, format version 2 and later</h2>
 * UTF-8 text, in this order:
 * <pre>
 * line 1   {"format":"NAME","format_version":V,"crc32c":"0xCCCCCCCC","body":
 *          NAME    the kind of file ({@link Kind#name()}): [a-z0-9._-], 1 to 64 characters
 *          V       the kind's format version, a decimal integer (2 or more)
 *          C       the CRC32C of the body bytes, 8 lowercase hex digits
 *          the line ends with one '\n', right after "body":
 * body     the body: one JSON object, the bytes the checksum covers (any number of lines)
 * end      "\n}\n", which closes the object opened on line 1
 * </pre>
 * The header line is always written exactly so (no spaces), and read only so: every byte of a
 * file is either in the checksummed body or in a header that is matched exactly.
 *
 * <h2>Version history</h2>
 * The format versions are per kind; every kind below went through the same two so far.
 * <ul>
 *   <li>1: the body alone, without header or checksum (every release before issue 11). Still
 *       read: a file that does not start with {@code {"format":} is of version 1, unless its
 *       object has a key of the header ({@code format}, {@code format_version}, {@code crc32c},
 *       {@code body}): then it is a version-2 file whose first line was damaged.</li>
 *   <li>2: the header above. The bodies are those of version 1, unchanged.</li>
 * </ul>
 * A version newer than the kind's {@link Kind#version()} is refused: a newer vecgate wrote it.
 * A kind whose body changes takes the next version; its reader gets the version of each file.
 *
 * <h2>Checks on read</h2>
 * Each failure is a {@link CorruptFileException} naming the file and what failed: a damaged or
 * malformed header line, another kind of file, an unknown format version, a truncated file (no
 * end), a checksum mismatch, a body that is not a JSON object, or a body its kind's reader
 * refuses.
 */
public final class JsonFileFormat {

  /**
   * Reads bodies as strictly as the API reads requests (a duplicate key or trailing bytes are
   * damage, not something to guess around), with exact decimals so that a body written back is
   * the body read.
   */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * A kind of file: its name in the header and the newest format version this build writes and
   * reads (it reads every version from 1).
   */
  public record Kind(String name, int version) {
    public Kind {
      if (!NAME.matcher(name).matches() || version < VERSION_2) {
        throw new IllegalArgumentException("a file kind needs a name of [a-z0-9._-] and a version >= 2, got " + name
            + " " + version);
      }
    }
  }

  /** Reads the body of one format version into what the file holds. */
  @FunctionalInterface
  public interface BodyReader<T> {
    /**
     * @param version the file's format version (1 for a file without header)
     * @throws IOException or a runtime exception when the body is not what the kind holds: the
     *     caller of {@link #read} gets a {@link CorruptFileException} naming the file
     */
    T read(int version, ObjectNode body) throws IOException;
  }

  /** What a kind's name may be (declared before the kinds, which check their names against it). */
  private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");

  /** Version 1: the bare body, no header. */
  public static final int VERSION_1 = 1;
  /** Version 2: the header line with the body's CRC32C. */
  public static final int VERSION_2 = 2;

  /** {@code {data}/catalog.json}: the writer's catalog (writer-node {@code Catalog}). */
  public static final Kind CATALOG = new Kind("vecgate.catalog", VERSION_2);
  /** {@code version.json} of a published version ({@link VersionState}). */
  public static final Kind VERSION_STATE = new Kind("vecgate.version_state", VERSION_2);
  /** {@code manifest.json} of a published version, written last (the engine's {@code Manifests}). */
  public static final Kind MANIFEST = new Kind("vecgate.manifest", VERSION_2);
  /** {@code {data}/jobs/{id}.json}: a rebuild job's last status (writer-node {@code RebuildJobs}). */
  public static final Kind JOB = new Kind("vecgate.job", VERSION_2);
  /** {@code {data}/aliases.json}: the writer's copy of the Hazelcast alias table (coordination). */
  public static final Kind ALIASES = new Kind("vecgate.aliases", VERSION_2);

  private static final Pattern HEADER = Pattern.compile(
      "\\{\"format\":\"([a-z0-9._-]{1,64})\",\"format_version\":([0-9]{1,9}),\"crc32c\":\"0x([0-9a-f]{8})\",\"body\":");
  private static final byte[] HEADER_START = "{\"format\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n}\n".getBytes(StandardCharsets.US_ASCII);
  private static final List<String> HEADER_KEYS = List.of("format", "format_version", "crc32c", "body");
  /** A header line longer than this is damaged (a valid one has at most 134 bytes). */
  private static final int MAX_HEADER_BYTES = 256;

  private JsonFileFormat() {}

  /** The bytes of a file of {@code kind} at its newest version holding {@code body} (JSON object text). */
  public static byte[] encode(Kind kind, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 140);
    out.writeBytes(header(kind.name(), kind.version(), crc(body, 0, body.length)));
    out.writeBytes(body);
    out.writeBytes(END);
    return out.toByteArray();
  }

  /** Writes {@code file} of {@code kind} holding {@code body} atomically (temporary file, fsync, rename). */
  public static void write(Path file, Kind kind, byte[] body) throws IOException {
    byte[] bytes = encode(kind, body);
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(file, ch -> {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    });
  }

  /**
   * Reads and checks {@code file} of {@code kind}, of any version it reads, and hands its body to
   * {@code reader}.
   *
   * @throws CorruptFileException naming the file and what failed
   * @throws IOException when the file cannot be read at all (missing, permissions)
   */
  public static <T> T read(Path file, Kind kind, BodyReader<T> reader) throws IOException {
    return decode(Files.readAllBytes(file), file, kind, reader);
  }

  /** As {@link #read}, from the bytes of {@code file}. */
  public static <T> T decode(byte[] bytes, Path file, Kind kind, BodyReader<T> reader) throws CorruptFileException {
    boolean headed = bytes.length >= HEADER_START.length
        && Arrays.equals(bytes, 0, HEADER_START.length, HEADER_START, 0, HEADER_START.length);
    int version;
    ObjectNode body;
    if (headed) {
      Header h = checkedHeader(bytes, file, kind);
      version = h.version();
      body = object(parse(bytes, h.bodyStart(), h.bodyEnd() - h.bodyStart(), file), file, "the body");
    } else {
      version = VERSION_1;
      body = object(parse(bytes, 0, bytes.length, file), file, "a version-1 file");
      for (String key : HEADER_KEYS) {
        if (body.has(key)) {
          throw new CorruptFileException(file, "damaged header line (it has \"" + key + "\" but does not start with "
              + "{\"format\":)");
        }
      }
    }
    try {
      return reader.read(version, body);
    } catch (CorruptFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptFileException(file, "the " + kind.name() + " body (format version " + version + ") is refused: "
          + e.getMessage(), e);
    }
  }

  /** A checked header: the file's format version and where its body lies. */
  private record Header(int version, int bodyStart, int bodyEnd) {}

  /** Checks the header line, the end and the checksum. */
  private static Header checkedHeader(byte[] bytes, Path file, Kind kind) throws CorruptFileException {
    int newline = -1;
    for (int i = 0; i < Math.min(bytes.length, MAX_HEADER_BYTES); i++) {
      if (bytes[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      throw new CorruptFileException(file, bytes.length < MAX_HEADER_BYTES ? "truncated in its header line ("
          + bytes.length + " bytes)" : "damaged header line (no end of line in its first " + MAX_HEADER_BYTES + " bytes)");
    }
    String line = new String(bytes, 0, newline, StandardCharsets.UTF_8);
    Matcher m = HEADER.matcher(line);
    if (!m.matches()) {
      throw new CorruptFileException(file, "damaged header line: " + line);
    }
    if (!m.group(1).equals(kind.name())) {
      throw new CorruptFileException(file, "holds a " + m.group(1) + " file, expected " + kind.name());
    }
    int version = Integer.parseInt(m.group(2));
    if (version < VERSION_2 || version > kind.version()) {
      throw new CorruptFileException(file, "format version " + version + " of " + kind.name() + " is not one this "
          + "build reads (" + VERSION_1 + " to " + kind.version() + ")" + (version > kind.version()
          ? "; a newer vecgate wrote it" : ""));
    }
    int bodyStart = newline + 1;
    int bodyEnd = bytes.length - END.length;
    if (bodyEnd < bodyStart || !Arrays.equals(bytes, bodyEnd, bytes.length, END, 0, END.length)) {
      throw new CorruptFileException(file, "truncated: " + bytes.length + " bytes that do not end with the closing "
          + "\"}\" of the header");
    }
    int expected = Integer.parseUnsignedInt(m.group(3), 16);
    int actual = crc(bytes, bodyStart, bodyEnd - bodyStart);
    if (actual != expected) {
      throw new CorruptFileException(file, "checksum mismatch (the header says " + hex(expected) + ", the body has "
          + hex(actual) + "): the file is damaged");
    }
    return new Header(version, bodyStart, bodyEnd);
  }

  private static byte[] header(String name, int version, int crc) {
    return ("{\"format\":\"" + name + "\",\"format_version\":" + version + ",\"crc32c\":\"" + hex(crc) + "\",\"body\":\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static JsonNode parse(byte[] bytes, int offset, int length, Path file) throws CorruptFileException {
    if (length == 0) {
      throw new CorruptFileException(file, "empty; expected a JSON object");
    }
    try {
      return MAPPER.readTree(bytes, offset, length);
    } catch (JsonProcessingException e) {
      throw new CorruptFileException(file, "malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CorruptFileException(file, "malformed JSON: " + e.getMessage(), e);
    }
  }

  private static ObjectNode object(JsonNode n, Path file, String what) throws CorruptFileException {
    if (!(n instanceof ObjectNode o)) {
      String kind = n == null ? "nothing" : n.getNodeType().name().toLowerCase(Locale.ROOT);
      throw new CorruptFileException(file, what + " is not a JSON object but " + kind);
    }
    return o;
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private static String hex(int crc) {
    return String.format("0x%08x", crc);
  }
}
