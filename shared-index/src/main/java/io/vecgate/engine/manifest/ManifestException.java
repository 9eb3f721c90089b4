package io.vecgate.engine.manifest;

import java.io.IOException;

/** A manifest that cannot be read or does not match its version directory; the message says which and why. */
public final class ManifestException extends IOException {

  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
