package dev.scanflow.control;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.exec.ExecutionContext;
import dev.scanflow.exec.ExecutionException;
import dev.scanflow.exec.Plan;
import dev.scanflow.graph.Frame;
import dev.scanflow.graph.Op;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The scan node: runs a traced body once per row of its scanned inputs, threading a carry. See the
 * package note "Execution".
 *
 * <p>Inputs: the initial carries, then the scanned sequences ({@code elems}), then the captured
 * outer tensors. Outputs: the final carries, the stacked per-step outputs {@code ys}, and the
 * stacked carries entering each step (the history the gradient needs).
 */
public final class Scan implements Op, dev.scanflow.exec.CompiledFrame.Compilable {
  private final Body body;
  private final boolean reverse;

  Scan(Body body, boolean reverse) {
    this.body = body;
    this.reverse = reverse;
  }

  /** The traced body: argument nodes and returned tensors of one step. */
  public record Body(
      Frame frame,
      List<Tensor> carryArgs,
      List<Tensor> elemArgs,
      List<Tensor> captureArgs,
      List<Tensor> carryOuts,
      List<Tensor> ys) {}

  public Body body() {
    return body;
  }

  public boolean reverse() {
    return reverse;
  }

  int carryCount() {
    return body.carryArgs.size();
  }

  int elemCount() {
    return body.elemArgs.size();
  }

  int captureCount() {
    return body.captureArgs.size();
  }

  int yCount() {
    return body.ys.size();
  }

  @Override
  public String name() {
    return "scan";
  }

  @Override
  public String describeAttributes() {
    return (reverse ? "reverse, " : "")
        + "carries="
        + carryCount()
        + ", elems="
        + elemCount()
        + ", captures="
        + captureCount()
        + ", ys="
        + yCount();
  }

  @Override
  public List<TensorSpec> inferShape(List<TensorSpec> in) {
    int nc = carryCount();
    int ne = elemCount();
    if (in.size() != nc + ne + captureCount()) {
      throw new IllegalArgumentException(
          "scan: expects " + (nc + ne + captureCount()) + " inputs, got " + in.size());
    }
    long length = Shape.UNKNOWN;
    for (int k = 0; k < ne; k++) {
      TensorSpec e = in.get(nc + k);
      if (e.shape().rank() < 1) {
        throw new IllegalArgumentException(
            "scan: elems component " + k + " is a scalar; it needs a first dimension to scan over");
      }
      if (!e.shape().dropFirst().isCompatibleWith(body.elemArgs.get(k).shape())
          || e.dtype() != body.elemArgs.get(k).dtype()) {
        throw new IllegalArgumentException(
            "scan: elems component "
                + k
                + " "
                + e
                + " does not match the body's argument "
                + body.elemArgs.get(k).spec());
      }
      long d = e.shape().dim(0);
      if (d != Shape.UNKNOWN) {
        if (length != Shape.UNKNOWN && length != d) {
          throw new IllegalArgumentException(
              "scan: elems have different lengths: "
                  + length
                  + " and "
                  + d
                  + " (component "
                  + k
                  + ")");
        }
        length = d;
      }
    }
    for (int k = 0; k < nc; k++) {
      TensorSpec init = in.get(k);
      TensorSpec arg = body.carryArgs.get(k).spec();
      if (init.dtype() != arg.dtype() || !init.shape().isCompatibleWith(arg.shape())) {
        throw new IllegalArgumentException(
            "scan: initializer component "
                + k
                + " "
                + init
                + " does not match the body's carry "
                + arg);
      }
    }
    List<TensorSpec> out = new ArrayList<>();
    for (Tensor c : body.carryArgs) {
      out.add(c.spec());
    }
    for (Tensor y : body.ys) {
      out.add(new TensorSpec(y.shape().prepend(length), y.dtype()));
    }
    for (Tensor c : body.carryArgs) {
      out.add(new TensorSpec(c.shape().prepend(length), c.dtype()));
    }
    return out;
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in) {
    boolean[] all = new boolean[carryCount() * 2 + yCount()];
    Arrays.fill(all, true);
    return forward(ctx, in, all);
  }

  @Override
  public INDArray[] forward(ExecutionContext ctx, INDArray[] in, boolean[] needed) {
    if (dev.scanflow.exec.Compilation.isEnabled()) {
      INDArray[] fast = CompiledScan.tryRun(this, ctx, in, needed);
      if (fast != null) {
        return fast;
      }
    }
    int nc = carryCount();
    int ne = elemCount();
    int ncap = captureCount();
    int ny = yCount();
    long[][] shapes = new long[in.length][];
    for (int i = 0; i < in.length; i++) {
      shapes[i] = in[i].shape();
    }
    long length = CompiledScan.length(this, shapes);
    List<Tensor> sources = new ArrayList<>(nc + ne + ncap);
    sources.addAll(body.carryArgs);
    sources.addAll(body.elemArgs);
    sources.addAll(body.captureArgs);
    List<Tensor> targets = new ArrayList<>(nc + ny);
    targets.addAll(body.carryOuts);
    targets.addAll(body.ys);
    Plan plan = ctx.plan(body.frame, sources, targets);

    INDArray[] values = new INDArray[nc + ne + ncap];
    System.arraycopy(in, 0, values, 0, nc);
    System.arraycopy(in, nc + ne, values, nc + ne, ncap);
    Rows[] elems = new Rows[ne];
    for (int k = 0; k < ne; k++) {
      elems[k] = new Rows(in[nc + k]);
    }
    Stacker[] ys = new Stacker[ny];
    for (int k = 0; k < ny; k++) {
      ys[k] = needed[nc + k] ? new Stacker(length, body.ys.get(k).spec()) : null;
    }
    Stacker[] history = new Stacker[nc];
    for (int k = 0; k < nc; k++) {
      if (needed[nc + ny + k]) {
        history[k] = new Stacker(length, body.carryArgs.get(k).spec());
        history[k].expect(in[k].shape());
      }
    }
    for (long i = 0; i < length; i++) {
      long t = reverse ? length - 1 - i : i;
      for (int k = 0; k < ne; k++) {
        values[nc + k] = elems[k].row(t);
      }
      for (int k = 0; k < nc; k++) {
        if (history[k] != null) {
          history[k].put(t, values[k]);
        }
      }
      INDArray[] out = plan.run(ctx, values);
      for (int k = 0; k < nc; k++) {
        if (!Arrays.equals(out[k].shape(), in[k].shape())) {
          throw new ExecutionException(
              "scan: carry component "
                  + k
                  + " changed shape from "
                  + Shape.format(in[k].shape())
                  + " to "
                  + Shape.format(out[k].shape())
                  + " at step "
                  + t);
        }
        values[k] = out[k];
      }
      for (int k = 0; k < ny; k++) {
        if (ys[k] != null) {
          ys[k].put(t, out[nc + k]);
        }
      }
    }
    INDArray[] result = new INDArray[nc + ny + nc];
    System.arraycopy(values, 0, result, 0, nc);
    for (int k = 0; k < ny; k++) {
      result[nc + k] = ys[k] == null ? null : ys[k].result();
    }
    for (int k = 0; k < nc; k++) {
      result[nc + ny + k] = history[k] == null ? null : history[k].result();
    }
    return result;
  }

  @Override
  public List<Tensor> gradient(GradientContext g) {
    return ScanGradient.build(this, g);
  }

  @Override
  public dev.scanflow.exec.CompiledFrame.Kernel compile(
      dev.scanflow.exec.CompiledFrame.CompileContext c) {
    return CompiledScan.kernel(this, c);
  }

  /** Row access to a scanned input. */
  private static final class Rows {
    private final INDArray source;
    private final long[] rowShape;

    Rows(INDArray source) {
      this.source = source;
      this.rowShape = Arrays.copyOfRange(source.shape(), 1, source.rank());
    }

    INDArray row(long t) {
      if (rowShape.length == 0) {
        return Nd4j.scalar(source.dataType(), source.getDouble(t));
      }
      if (source.isEmpty()) {
        return Nd4j.create(source.dataType(), rowShape);
      }
      INDArray r = source.slice(t);
      return Arrays.equals(r.shape(), rowShape) ? r : r.reshape('c', rowShape);
    }
  }

  /** Collects per-step arrays into one {@code [T, ...]} array. */
  private static final class Stacker {
    private final long length;
    private final TensorSpec spec;
    private INDArray out;
    private long[] rowShape;

    Stacker(long length, TensorSpec spec) {
      this.length = length;
      this.spec = spec;
    }

    void expect(long[] shape) {
      rowShape = shape.clone();
    }

    void put(long t, INDArray row) {
      if (out == null) {
        rowShape = row.shape();
        long[] shape = new long[rowShape.length + 1];
        shape[0] = length;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        out = Nd4j.create(row.dataType(), shape);
      } else if (!Arrays.equals(rowShape, row.shape())) {
        throw new ExecutionException(
            "scan: output changed shape from "
                + Shape.format(rowShape)
                + " to "
                + Shape.format(row.shape())
                + " at step "
                + t);
      }
      if (row.isEmpty()) {
        return;
      }
      if (rowShape.length == 0) {
        out.putScalar(t, row.getDouble(0));
      } else {
        out.slice(t).assign(row);
      }
    }

    INDArray result() {
      if (out != null) {
        return out;
      }
      long[] row = rowShape != null ? rowShape : spec.shape().dims();
      long[] shape = new long[row.length + 1];
      shape[0] = length;
      for (int i = 0; i < row.length; i++) {
        shape[i + 1] = Math.max(row[i], 0);
      }
      return Nd4j.create(spec.dtype().nd4j(), shape);
    }
  }
}
