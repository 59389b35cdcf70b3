package dev.scanflow.exec;

/** Index arithmetic for the compiled executor: row-major offsets of broadcasts and gathers. */
final class IndexMaps {
  private IndexMaps() {}

  static int size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  /** For each element of {@code out}, the offset of the element of {@code in} broadcast onto it. */
  static int[] broadcast(long[] in, long[] out) {
    int r = out.length;
    long[] padded = new long[r];
    java.util.Arrays.fill(padded, 1);
    System.arraycopy(in, 0, padded, r - in.length, in.length);
    int n = size(out);
    int[] map = new int[n];
    int[] idx = new int[r];
    for (int i = 0; i < n; i++) {
      int off = 0;
      for (int d = 0; d < r; d++) {
        off = off * (int) padded[d] + (padded[d] == 1 ? 0 : idx[d]);
      }
      map[i] = off;
      increment(idx, out);
    }
    return map;
  }

  /** Advances a row-major multi-index. */
  static void increment(int[] idx, long[] shape) {
    for (int d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        return;
      }
      idx[d] = 0;
    }
  }

  /** The offset of a multi-index in a row-major array of {@code shape}. */
  static int offset(int[] idx, long[] shape) {
    int off = 0;
    for (int d = 0; d < shape.length; d++) {
      off = off * (int) shape[d] + idx[d];
    }
    return off;
  }

  static boolean isIdentity(int[] map) {
    for (int i = 0; i < map.length; i++) {
      if (map[i] != i) {
        return false;
      }
    }
    return true;
  }
}
