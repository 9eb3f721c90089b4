package io.vecgate.writer.lock;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterLockTest {

  @TempDir Path dir;

  @Test
  void oneWriterPerDataDirectory() throws IOException {
    try (WriterLock first = WriterLock.acquire(dir)) {
      IOException e = assertThrows(IOException.class, () -> WriterLock.acquire(dir));
      assertTrue(e.getMessage().contains("another writer holds") && e.getMessage().contains("pid "), e.getMessage());
    }
    // Released: the next writer takes it.
    WriterLock.acquire(dir).close();
  }
}
