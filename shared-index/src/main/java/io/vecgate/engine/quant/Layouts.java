package io.vecgate.engine.quant;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Value layouts of the quantiser parts: little-endian whatever the platform, as the segment files. */
final class Layouts {

  static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Layouts() {}
}
