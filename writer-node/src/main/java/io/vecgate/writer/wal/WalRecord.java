package io.vecgate.writer.wal;

/**
 * One write-ahead-log record.
 *
 * @param seq sequence number, increasing through the log of a space (never reused)
 * @param type what the payload holds ({@link WalCodec#INDEX}, {@link WalCodec#DELETE})
 * @param payload the encoded operation
 */
public record WalRecord(long seq, byte type, byte[] payload) {}
