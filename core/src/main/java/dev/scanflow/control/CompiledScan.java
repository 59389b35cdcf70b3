package dev.scanflow.control;

import dev.scanflow.exec.CompiledFrame;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.exec.ExecutionException;
import dev.scanflow.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a scan whose body compiles to float kernels: captured values and scanned sequences are
 * copied into plain arrays once, each step copies one row in, runs the kernels and copies the carry
 * and outputs out. See the package note "Execution".
 */
final class CompiledScan {
  private CompiledScan() {}

  /** The scan's outputs, or {@code null} when this scan cannot take the fast path. */
  static INDArray[] tryRun(Scan scan, ExecutionContext ctx, INDArray[] in, boolean[] needed) {
    for (INDArray a : in) {
      if (a.dataType() != DataType.FLOAT) {
        return null;
      }
    }
    Scan.Body body = scan.body();
    int nc = scan.carryCount();
    int ne = scan.elemCount();
    int ncap = scan.captureCount();
    int ny = scan.yCount();
    long length = in[nc].size(0);
    for (int k = 1; k < ne; k++) {
      if (in[nc + k].size(0) != length) {
        throw new ExecutionException(
            "scan: elems have different lengths at run time: "
                + length
                + " and "
                + in[nc + k].size(0)
                + " (component "
                + k
                + ")");
      }
    }
    List<Tensor> sources = new ArrayList<>();
    sources.addAll(body.carryArgs());
    sources.addAll(body.elemArgs());
    sources.addAll(body.captureArgs());
    List<Tensor> targets = new ArrayList<>();
    targets.addAll(body.carryOuts());
    targets.addAll(body.ys());
    long[][] shapes = new long[nc + ne + ncap][];
    for (int k = 0; k < nc; k++) {
      shapes[k] = in[k].shape();
    }
    for (int k = 0; k < ne; k++) {
      shapes[nc + k] = Arrays.copyOfRange(in[nc + k].shape(), 1, in[nc + k].rank());
    }
    for (int j = 0; j < ncap; j++) {
      shapes[nc + ne + j] = in[nc + ne + j].shape();
    }
    CompiledFrame f = ctx.compiled(body.frame(), sources, shapes, targets, ncap);
    if (f == null) {
      return null;
    }
    for (int k = 0; k < nc; k++) {
      if (!Arrays.equals(f.targetShape(k), shapes[k])) {
        throw new ExecutionException(
            "scan: carry component "
                + k
                + " changed shape from "
                + dev.scanflow.graph.Shape.format(shapes[k])
                + " to "
                + dev.scanflow.graph.Shape.format(f.targetShape(k)));
      }
    }
    for (int j = 0; j < ncap; j++) {
      CompiledFrame.copyIn(in[nc + ne + j], f.source(nc + ne + j));
    }
    f.constantsChanged();
    for (int k = 0; k < nc; k++) {
      CompiledFrame.copyIn(in[k], f.source(k));
    }
    int len = Math.toIntExact(length);
    float[][] elems = new float[ne][];
    int[] rowSize = new int[ne];
    for (int k = 0; k < ne; k++) {
      rowSize[k] = f.source(nc + k).length;
      elems[k] = new float[rowSize[k] * len];
      CompiledFrame.copyIn(in[nc + k], elems[k]);
    }
    float[][] ys = new float[ny][];
    for (int k = 0; k < ny; k++) {
      ys[k] = needed[nc + k] ? new float[f.target(nc + k).length * len] : null;
    }
    float[][] history = new float[nc][];
    float[][] next = new float[nc][];
    boolean[] unchanged = new boolean[nc];
    for (int k = 0; k < nc; k++) {
      history[k] = needed[nc + ny + k] ? new float[f.source(k).length * len] : null;
      // a carry the body returns as it received it is never copied
      unchanged[k] = body.carryOuts().get(k).equals(body.carryArgs().get(k));
      next[k] = unchanged[k] ? null : new float[f.source(k).length];
    }
    for (int i = 0; i < len; i++) {
      int t = scan.reverse() ? len - 1 - i : i;
      for (int k = 0; k < ne; k++) {
        System.arraycopy(elems[k], t * rowSize[k], f.source(nc + k), 0, rowSize[k]);
      }
      for (int k = 0; k < nc; k++) {
        if (history[k] != null) {
          float[] c = f.source(k);
          System.arraycopy(c, 0, history[k], t * c.length, c.length);
        }
      }
      f.run();
      for (int k = 0; k < ny; k++) {
        if (ys[k] != null) {
          float[] y = f.target(nc + k);
          System.arraycopy(y, 0, ys[k], t * y.length, y.length);
        }
      }
      for (int k = 0; k < nc; k++) {
        if (!unchanged[k]) {
          System.arraycopy(f.target(k), 0, next[k], 0, next[k].length);
        }
      }
      for (int k = 0; k < nc; k++) {
        if (!unchanged[k]) {
          System.arraycopy(next[k], 0, f.source(k), 0, next[k].length);
        }
      }
    }
    INDArray[] out = new INDArray[nc + ny + nc];
    for (int k = 0; k < nc; k++) {
      out[k] = CompiledFrame.toArray(f.source(k).clone(), shapes[k]);
    }
    for (int k = 0; k < ny; k++) {
      out[nc + k] =
          ys[k] == null ? null : CompiledFrame.toArray(ys[k], prepend(len, f.targetShape(nc + k)));
    }
    for (int k = 0; k < nc; k++) {
      out[nc + ny + k] =
          history[k] == null ? null : CompiledFrame.toArray(history[k], prepend(len, shapes[k]));
    }
    return out;
  }

  private static long[] prepend(long first, long[] rest) {
    long[] s = new long[rest.length + 1];
    s[0] = first;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }
}
