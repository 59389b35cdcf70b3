package dev.scanflow.graph;

import org.nd4j.linalg.api.buffer.DataType;

/** Element types a tensor can hold, with their ND4J counterparts. */
public enum DType {
  FLOAT32(DataType.FLOAT, true),
  FLOAT64(DataType.DOUBLE, true),
  INT32(DataType.INT, false),
  INT64(DataType.LONG, false),
  BOOL(DataType.BOOL, false);

  private final DataType nd4j;
  private final boolean floating;

  DType(DataType nd4j, boolean floating) {
    this.nd4j = nd4j;
    this.floating = floating;
  }

  /** The ND4J data type of arrays holding this type. */
  public DataType nd4j() {
    return nd4j;
  }

  /** Whether gradients can flow through values of this type. */
  public boolean isFloating() {
    return floating;
  }

  /** The scanflow type of an ND4J data type, or an error naming it when scanflow has none. */
  public static DType of(DataType type) {
    for (DType d : values()) {
      if (d.nd4j == type) {
        return d;
      }
    }
    throw new IllegalArgumentException("unsupported ND4J data type " + type);
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
