package dev.scanflow.ops;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plain-Java reference implementations (index arithmetic on double arrays) for the op table. */
final class Reference {
  private Reference() {}

  static double[] values(INDArray a) {
    return a.isEmpty()
        ? new double[0]
        : a.castTo(DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
  }

  static INDArray make(double[] v, long[] shape) {
    if (v.length == 0) {
      return Nd4j.create(DataType.DOUBLE, shape);
    }
    return Nd4j.createFromArray(v).reshape('c', shape);
  }

  static INDArray map(INDArray x, DoubleUnaryOperator f) {
    double[] v = values(x);
    for (int i = 0; i < v.length; i++) {
      v[i] = f.applyAsDouble(v[i]);
    }
    return make(v, x.shape());
  }

  static INDArray broadcast(INDArray a, INDArray b, DoubleBinaryOperator f) {
    long[] sa = a.shape();
    long[] sb = b.shape();
    int rank = Math.max(sa.length, sb.length);
    long[] out = new long[rank];
    long[] pa = pad(sa, rank);
    long[] pb = pad(sb, rank);
    for (int i = 0; i < rank; i++) {
      out[i] = pa[i] == 1 ? pb[i] : pa[i];
    }
    double[] va = values(a);
    double[] vb = values(b);
    int n = (int) size(out);
    double[] r = new double[n];
    long[] idx = new long[rank];
    for (int k = 0; k < n; k++) {
      long rem = k;
      for (int d = rank - 1; d >= 0; d--) {
        idx[d] = rem % out[d];
        rem /= out[d];
      }
      r[k] = f.applyAsDouble(va[(int) offset(idx, pa)], vb[(int) offset(idx, pb)]);
    }
    return make(r, out);
  }

  private static long[] pad(long[] s, int rank) {
    long[] p = new long[rank];
    Arrays.fill(p, 1);
    System.arraycopy(s, 0, p, rank - s.length, s.length);
    return p;
  }

  private static long offset(long[] idx, long[] shape) {
    long off = 0;
    for (int d = 0; d < shape.length; d++) {
      off = off * shape[d] + (shape[d] == 1 ? 0 : idx[d]);
    }
    return off;
  }

  static long size(long[] s) {
    long n = 1;
    for (long d : s) {
      n *= d;
    }
    return n;
  }

  static INDArray matmul(INDArray x, INDArray y) {
    double[][] a = x.castTo(DataType.DOUBLE).toDoubleMatrix();
    double[][] b = y.castTo(DataType.DOUBLE).toDoubleMatrix();
    int m = (int) x.size(0);
    int k = (int) x.size(1);
    int n = (int) y.size(1);
    double[] r = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int l = 0; l < k; l++) {
          s += a[i][l] * b[l][j];
        }
        r[i * n + j] = s;
      }
    }
    return make(r, new long[] {m, n});
  }

  /** Sum (or mean) of a matrix over axes (none = all). */
  static INDArray sum(INDArray x, int[] axes, boolean keep, boolean mean) {
    long rows = x.size(0);
    long cols = x.size(1);
    double[][] v = x.toDoubleMatrix();
    boolean r0 = axes.length == 0 || Arrays.stream(axes).anyMatch(a -> a == 0);
    boolean r1 = axes.length == 0 || Arrays.stream(axes).anyMatch(a -> a == 1);
    long outR = r0 ? 1 : rows;
    long outC = r1 ? 1 : cols;
    double[] out = new double[(int) (outR * outC)];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[(int) ((r0 ? 0 : i) * outC + (r1 ? 0 : j))] += v[i][j];
      }
    }
    double count = (r0 ? rows : 1) * (r1 ? cols : 1);
    for (int i = 0; i < out.length; i++) {
      out[i] = mean ? out[i] / count : out[i];
    }
    long[] shape;
    if (keep) {
      shape = new long[] {outR, outC};
    } else if (r0 && r1) {
      shape = new long[0];
    } else {
      shape = new long[] {r0 ? outC : outR};
    }
    return make(out, shape);
  }

  static INDArray rowMajor(INDArray x, long... shape) {
    return make(values(x), shape);
  }

  static INDArray permute(INDArray x, int... perm) {
    long[] s = x.shape();
    long[] out = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[perm[i]];
    }
    double[] v = values(x);
    double[] r = new double[v.length];
    long[] idx = new long[s.length];
    for (int k = 0; k < r.length; k++) {
      long rem = k;
      for (int d = out.length - 1; d >= 0; d--) {
        idx[d] = rem % out[d];
        rem /= out[d];
      }
      long src = 0;
      long[] srcIdx = new long[s.length];
      for (int d = 0; d < out.length; d++) {
        srcIdx[perm[d]] = idx[d];
      }
      for (int d = 0; d < s.length; d++) {
        src = src * s[d] + srcIdx[d];
      }
      r[k] = v[(int) src];
    }
    return make(r, out);
  }

  /** Rows {@code [from, to)} of a matrix. */
  static INDArray rows(INDArray x, long from, long to) {
    double[] v = values(x);
    long cols = x.length() / x.size(0);
    return make(
        Arrays.copyOfRange(v, (int) (from * cols), (int) (to * cols)),
        new long[] {to - from, cols});
  }

  static INDArray concatRows(INDArray a, INDArray b) {
    double[] va = values(a);
    double[] vb = values(b);
    double[] r = Arrays.copyOf(va, va.length + vb.length);
    System.arraycopy(vb, 0, r, va.length, vb.length);
    return make(r, new long[] {a.size(0) + b.size(0), a.size(1)});
  }

  static INDArray pad(INDArray g, long rows, long cols, long r0, long c0) {
    double[][] v = g.castTo(DataType.DOUBLE).toDoubleMatrix();
    double[] out = new double[(int) (rows * cols)];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v[i].length; j++) {
        out[(int) ((r0 + i) * cols + c0 + j)] = v[i][j];
      }
    }
    return make(out, new long[] {rows, cols});
  }
}
