package dev.scanflow.control;

import dev.scanflow.exec.CompiledFrame;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.exec.ExecutionException;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a scan whose body compiles to float kernels: captured values are copied into the body's
 * buffers once, each step copies one row of each sequence in, runs the kernels and copies the carry
 * and outputs out. Used on ND4J arrays ({@link #tryRun}) and, inside a compiled frame, on the
 * frame's own buffers ({@link #kernel}). See the package note "Fast path".
 */
final class CompiledScan {
  private CompiledScan() {}

  private static List<Tensor> sources(Scan.Body body) {
    List<Tensor> sources = new ArrayList<>();
    sources.addAll(body.carryArgs());
    sources.addAll(body.elemArgs());
    sources.addAll(body.captureArgs());
    return sources;
  }

  private static List<Tensor> targets(Scan.Body body) {
    List<Tensor> targets = new ArrayList<>();
    targets.addAll(body.carryOuts());
    targets.addAll(body.ys());
    return targets;
  }

  /** The body's source shapes for the scan's input shapes (rows for the sequences). */
  private static long[][] bodyShapes(Scan scan, long[][] in) {
    int nc = scan.carryCount();
    int ne = scan.elemCount();
    long[][] shapes = new long[in.length][];
    for (int k = 0; k < in.length; k++) {
      shapes[k] = k >= nc && k < nc + ne ? Arrays.copyOfRange(in[k], 1, in[k].length) : in[k];
    }
    return shapes;
  }

  private static void checkCarries(Scan scan, CompiledFrame f, long[][] shapes) {
    for (int k = 0; k < scan.carryCount(); k++) {
      if (!Arrays.equals(f.targetShape(k), shapes[k])) {
        throw new ExecutionException(
            "scan: carry component "
                + k
                + " changed shape from "
                + Shape.format(shapes[k])
                + " to "
                + Shape.format(f.targetShape(k)));
      }
    }
  }

  /** The common length of the scanned sequences, or an error naming the ones that differ. */
  static long length(Scan scan, long[][] in) {
    int nc = scan.carryCount();
    long length = in[nc][0];
    for (int k = 1; k < scan.elemCount(); k++) {
      if (in[nc + k][0] != length) {
        throw new ExecutionException(
            "scan: elems have different lengths at run time: "
                + length
                + " and "
                + in[nc + k][0]
                + " (component "
                + k
                + ")");
      }
    }
    return length;
  }

  /** The scan's outputs on ND4J arrays, or {@code null} when it cannot take the fast path. */
  static INDArray[] tryRun(Scan scan, ExecutionContext ctx, INDArray[] in, boolean[] needed) {
    long[][] inShapes = new long[in.length][];
    for (int i = 0; i < in.length; i++) {
      if (in[i].dataType() != DataType.FLOAT) {
        return null;
      }
      inShapes[i] = in[i].shape();
    }
    long length = length(scan, inShapes);
    long[][] shapes = bodyShapes(scan, inShapes);
    Scan.Body body = scan.body();
    CompiledFrame f =
        ctx.compiled(body.frame(), sources(body), shapes, targets(body), scan.captureCount());
    if (f == null) {
      return null;
    }
    checkCarries(scan, f, shapes);
    int nc = scan.carryCount();
    int ny = scan.yCount();
    int len = Math.toIntExact(length);
    float[][] inputs = new float[in.length][];
    for (int i = 0; i < in.length; i++) {
      inputs[i] = new float[Math.toIntExact(in[i].length())];
      CompiledFrame.copyIn(in[i], inputs[i]);
    }
    float[][] outputs = new float[nc + ny + nc][];
    for (int k = 0; k < nc; k++) {
      outputs[k] = new float[inputs[k].length];
    }
    for (int k = 0; k < ny; k++) {
      outputs[nc + k] = needed[nc + k] ? new float[f.target(nc + k).length * len] : null;
    }
    for (int k = 0; k < nc; k++) {
      outputs[nc + ny + k] = needed[nc + ny + k] ? new float[inputs[k].length * len] : null;
    }
    loop(scan, f, inputs, len, outputs);
    INDArray[] out = new INDArray[outputs.length];
    for (int k = 0; k < nc; k++) {
      out[k] = CompiledFrame.toArray(outputs[k], shapes[k]);
      if (outputs[nc + ny + k] != null) {
        out[nc + ny + k] = CompiledFrame.toArray(outputs[nc + ny + k], prepend(len, shapes[k]));
      }
    }
    for (int k = 0; k < ny; k++) {
      if (outputs[nc + k] != null) {
        out[nc + k] = CompiledFrame.toArray(outputs[nc + k], prepend(len, f.targetShape(nc + k)));
      }
    }
    return out;
  }

  /**
   * The scan as a kernel of an enclosing compiled frame, or {@code null} if its body cannot
   * compile.
   */
  static CompiledFrame.Kernel kernel(Scan scan, CompiledFrame.CompileContext c) {
    long[][] inShapes = c.inputShapes();
    long length = length(scan, inShapes);
    long[][] shapes = bodyShapes(scan, inShapes);
    Scan.Body body = scan.body();
    CompiledFrame f =
        c.nested().compile(body.frame(), sources(body), shapes, targets(body), scan.captureCount());
    if (f == null) {
      return null;
    }
    checkCarries(scan, f, shapes);
    int len = Math.toIntExact(length);
    int[] in = c.inputs();
    int[] outs = c.outputs();
    boolean[] used = c.outputUsed();
    return v -> {
      float[][] inputs = new float[in.length][];
      for (int i = 0; i < in.length; i++) {
        inputs[i] = v[in[i]];
      }
      float[][] outputs = new float[outs.length][];
      for (int o = 0; o < outs.length; o++) {
        outputs[o] = used[o] ? v[outs[o]] : null; // unused outputs have empty buffers
      }
      loop(scan, f, inputs, len, outputs);
    };
  }

  /**
   * The loop itself. {@code inputs}: initial carries, whole sequences, captured values; {@code
   * outputs}: final carries, then stacked ys and histories (null where nobody reads them).
   */
  static void loop(Scan scan, CompiledFrame f, float[][] inputs, int len, float[][] outputs) {
    int nc = scan.carryCount();
    int ne = scan.elemCount();
    int ncap = scan.captureCount();
    int ny = scan.yCount();
    for (int j = 0; j < ncap; j++) {
      System.arraycopy(
          inputs[nc + ne + j], 0, f.source(nc + ne + j), 0, f.source(nc + ne + j).length);
    }
    f.constantsChanged();
    for (int k = 0; k < nc; k++) {
      System.arraycopy(inputs[k], 0, f.source(k), 0, f.source(k).length);
    }
    int[] rowSize = new int[ne];
    for (int k = 0; k < ne; k++) {
      rowSize[k] = f.source(nc + k).length;
    }
    float[][] next = new float[nc][];
    boolean[] unchanged = new boolean[nc];
    for (int k = 0; k < nc; k++) {
      // a carry the body returns as it received it is never copied; one held in another
      // argument's buffer (a swap, possibly through a reshape or identity, which share buffers)
      // goes through a temporary; the others are copied straight back
      unchanged[k] = f.target(k) == f.source(k);
      boolean isArgument = false;
      for (int j = 0; j < nc + ne + ncap; j++) {
        isArgument |= f.target(k) == f.source(j);
      }
      next[k] = unchanged[k] || !isArgument ? null : new float[f.source(k).length];
    }
    for (int i = 0; i < len; i++) {
      int t = scan.reverse() ? len - 1 - i : i;
      for (int k = 0; k < ne; k++) {
        System.arraycopy(inputs[nc + k], t * rowSize[k], f.source(nc + k), 0, rowSize[k]);
      }
      for (int k = 0; k < nc; k++) {
        float[] h = outputs[nc + ny + k];
        if (h != null) {
          float[] c = f.source(k);
          System.arraycopy(c, 0, h, t * c.length, c.length);
        }
      }
      f.run();
      for (int k = 0; k < ny; k++) {
        float[] ys = outputs[nc + k];
        if (ys != null) {
          float[] y = f.target(nc + k);
          System.arraycopy(y, 0, ys, t * y.length, y.length);
        }
      }
      for (int k = 0; k < nc; k++) {
        if (next[k] != null) {
          System.arraycopy(f.target(k), 0, next[k], 0, next[k].length);
        }
      }
      for (int k = 0; k < nc; k++) {
        if (!unchanged[k]) {
          float[] from = next[k] != null ? next[k] : f.target(k);
          System.arraycopy(from, 0, f.source(k), 0, from.length);
        }
      }
    }
    for (int k = 0; k < nc; k++) {
      if (outputs[k] != null) {
        System.arraycopy(f.source(k), 0, outputs[k], 0, outputs[k].length);
      }
    }
  }

  private static long[] prepend(long first, long[] rest) {
    long[] s = new long[rest.length + 1];
    s[0] = first;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }
}
