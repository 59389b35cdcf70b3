package dev.scanflow.graph;

import java.util.Arrays;

/**
 * A static shape: a known rank and dimensions, each either known (>= 0) or unknown ({@code -1}).
 * Printed as {@code [?,256]}.
 */
public final class Shape {
  /** Marks a dimension whose size is known only at run time. */
  public static final long UNKNOWN = -1;

  private static final Shape SCALAR = new Shape(new long[0]);
  private final long[] dims;

  private Shape(long[] dims) {
    this.dims = dims;
  }

  /** A shape of the given dimensions; {@code -1} marks an unknown dimension. */
  public static Shape of(long... dims) {
    for (long d : dims) {
      if (d < UNKNOWN) {
        throw new IllegalArgumentException(
            "invalid dimension " + d + " in " + Arrays.toString(dims));
      }
    }
    return new Shape(dims.clone());
  }

  /** The rank-0 shape. */
  public static Shape scalar() {
    return SCALAR;
  }

  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative {@code i} counts from the end. */
  public long dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  public long[] dims() {
    return dims.clone();
  }

  /** Whether every dimension is known. */
  public boolean isFullyKnown() {
    for (long d : dims) {
      if (d == UNKNOWN) {
        return false;
      }
    }
    return true;
  }

  /** The number of elements, or {@code -1} when a dimension is unknown. */
  public long size() {
    long n = 1;
    for (long d : dims) {
      if (d == UNKNOWN) {
        return UNKNOWN;
      }
      n *= d;
    }
    return n;
  }

  /** Whether a concrete array shape fits this static shape. */
  public boolean accepts(long[] actual) {
    if (actual.length != dims.length) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != UNKNOWN && dims[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether some concrete shape could satisfy both shapes. */
  public boolean isCompatibleWith(Shape other) {
    if (other.rank() != rank()) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != UNKNOWN && other.dims[i] != UNKNOWN && dims[i] != other.dims[i]) {
        return false;
      }
    }
    return true;
  }

  /** This shape without its first dimension (the shape of one scanned element). */
  public Shape dropFirst() {
    return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /** This shape with {@code first} prepended (the shape of a stacked sequence). */
  public Shape prepend(long first) {
    long[] d = new long[dims.length + 1];
    d[0] = first;
    System.arraycopy(dims, 0, d, 1, dims.length);
    return new Shape(d);
  }

  /**
   * The NumPy broadcast of two shapes, or {@code null} when they cannot broadcast. An unknown
   * dimension against 1 stays unknown; against a known size it takes that size.
   */
  public static Shape broadcast(Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long x = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
      long y = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
      if (x == 1) {
        out[i] = y;
      } else if (y == 1) {
        out[i] = x;
      } else if (x == UNKNOWN) {
        out[i] = y;
      } else if (y == UNKNOWN || x == y) {
        out[i] = x;
      } else {
        return null;
      }
    }
    return new Shape(out);
  }

  /** The NumPy broadcast of two concrete shapes, or {@code null}. */
  public static long[] broadcast(long[] a, long[] b) {
    Shape s = broadcast(new Shape(a), new Shape(b));
    return s == null ? null : s.dims;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i > 0 ? "," : "").append(dims[i] == UNKNOWN ? "?" : Long.toString(dims[i]));
    }
    return sb.append(']').toString();
  }

  /** Formats a concrete array shape the same way. */
  public static String format(long[] dims) {
    return new Shape(dims).toString();
  }
}
