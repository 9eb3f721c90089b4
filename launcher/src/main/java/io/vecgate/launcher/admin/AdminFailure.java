package io.vecgate.launcher.admin;

/**
 * Why an admin command did not do what was asked, with the process exit code it ends with (the
 * codes are in {@link AdminCommand}'s help and the README).
 */
final class AdminFailure extends Exception {

  /** The command was refused or failed (the reply's error, a failed job). */
  static final int REFUSED = 1;
  /** A rebuild followed to its end was cancelled. */
  static final int CANCELLED = 3;
  /** The cluster, or the node a command is for, could not be reached or did not answer in time. */
  static final int UNREACHABLE = 4;

  private final int exitCode;

  AdminFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
