package io.vecgate.writer.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgate.protocol.api.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The two limits of {@link WriteAdmission} and their bookkeeping. */
class WriteAdmissionTest {

  @Test
  void bytesInFlightAreLimitedButOneLargeWriteAloneIsTaken() {
    WriteAdmission a = new WriteAdmission(new WriteAdmission.Limits(10, 100, Duration.ofSeconds(1)));
    WriteAdmission.Permit big = a.admit("doc.bulk", 500); // alone: taken, or it could never be sent
    ApiException more = assertThrows(ApiException.class, () -> a.admit("doc.bulk", 1));
    assertTrue(more.reason().contains("100 body bytes of document writes in flight (--max-inflight-write-bytes; 500 "
        + "in flight, this doc.bulk has 1)"), more.reason());
    big.close();
    big.close(); // twice is harmless
    assertEquals(0, a.inFlightBytes());
    try (WriteAdmission.Permit p1 = a.admit("doc.bulk", 60); WriteAdmission.Permit p2 = a.admit("doc.index", 40)) {
      assertEquals(2, a.inFlight());
      assertEquals(100, a.inFlightBytes());
      assertEquals(429, assertThrows(ApiException.class, () -> a.admit("doc.delete", 1)).status());
    }
    assertEquals(2, a.shed());
  }

  @Test
  void limitsOutOfRangeNameTheirOption() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new WriteAdmission.Limits(0, 1, Duration.ofSeconds(1)))
        .getMessage().startsWith("--max-inflight-writes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new WriteAdmission.Limits(1, 0, Duration.ofSeconds(1)))
        .getMessage().startsWith("--max-inflight-write-bytes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new WriteAdmission.Limits(1, 1, Duration.ofMillis(10)))
        .getMessage().startsWith("--write-retry-after"));
  }
}
