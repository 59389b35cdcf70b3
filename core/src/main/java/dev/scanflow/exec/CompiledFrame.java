package dev.scanflow.exec;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Frame;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Add;
import dev.scanflow.ops.BroadcastLike;
import dev.scanflow.ops.Capture;
import dev.scanflow.ops.Cast;
import dev.scanflow.ops.Compare;
import dev.scanflow.ops.Concat;
import dev.scanflow.ops.ConcatPart;
import dev.scanflow.ops.Constant;
import dev.scanflow.ops.CountOf;
import dev.scanflow.ops.Div;
import dev.scanflow.ops.Exp;
import dev.scanflow.ops.ExpandDims;
import dev.scanflow.ops.FillLike;
import dev.scanflow.ops.Identity;
import dev.scanflow.ops.Log;
import dev.scanflow.ops.MatMul;
import dev.scanflow.ops.Mul;
import dev.scanflow.ops.Neg;
import dev.scanflow.ops.PadLike;
import dev.scanflow.ops.Pow;
import dev.scanflow.ops.ReduceSum;
import dev.scanflow.ops.Reshape;
import dev.scanflow.ops.ReshapeLike;
import dev.scanflow.ops.Reverse;
import dev.scanflow.ops.Sigmoid;
import dev.scanflow.ops.Slice;
import dev.scanflow.ops.Sqrt;
import dev.scanflow.ops.Squeeze;
import dev.scanflow.ops.StopGradient;
import dev.scanflow.ops.Sub;
import dev.scanflow.ops.SumToShapeOf;
import dev.scanflow.ops.Tanh;
import dev.scanflow.ops.Transpose;
import dev.scanflow.ops.Where;
import dev.scanflow.spi.Gemm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast path for scan bodies: a frame compiled, for fixed source shapes, into kernels on plain
 * float arrays allocated once. No ND4J call, allocation or planning happens per step. Only frames
 * whose values are all float32 (or boolean masks) and whose ops all have a kernel here compile;
 * anything else runs on the generic {@link Plan}. Each kernel matches its op's generic forward,
 * which the tests check.
 */
public final class CompiledFrame {
  /** One compiled node. */
  @FunctionalInterface
  private interface Kernel {
    void run(float[][] v);

    /**
     * Runs with the frame's epoch, which changes whenever the constant sources (captured values)
     * are rewritten, so kernels may cache what depends only on them.
     */
    default void run(float[][] v, long epoch) {
      run(v);
    }
  }

  private final float[][] values;
  private final int[] sourceSlots;
  private final int[] targetSlots;
  private final long[][] targetShapes;
  private final Kernel[] kernels;

  private CompiledFrame(
      float[][] values,
      int[] sourceSlots,
      int[] targetSlots,
      long[][] targetShapes,
      Kernel[] kernels) {
    this.values = values;
    this.sourceSlots = sourceSlots;
    this.targetSlots = targetSlots;
    this.targetShapes = targetShapes;
    this.kernels = kernels;
  }

  /** Thrown internally when a node has no kernel. */
  private static final class Unsupported extends Exception {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  /**
   * Compiles the nodes computing {@code targets} from {@code sources} (with the given concrete
   * shapes), or returns {@code null} when some node cannot run here. The last {@code
   * constantSources} sources change only between runs of the whole scan (its captured values).
   */
  public static CompiledFrame tryCompile(
      Frame frame,
      List<Tensor> sources,
      long[][] sourceShapes,
      List<Tensor> targets,
      int constantSources) {
    try {
      return compile(frame, sources, sourceShapes, targets, constantSources);
    } catch (Unsupported e) {
      return null;
    }
  }

  private static CompiledFrame compile(
      Frame frame,
      List<Tensor> sources,
      long[][] sourceShapes,
      List<Tensor> targets,
      int constantSources)
      throws Unsupported {
    Map<Tensor, Integer> slots = new HashMap<>();
    List<long[]> shapes = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      if (!isFloat(sources.get(i))) {
        throw new Unsupported();
      }
      slots.put(sources.get(i), shapes.size());
      shapes.add(sourceShapes[i]);
    }
    TreeMap<Integer, Node> needed = new TreeMap<>();
    List<Tensor> stack = new ArrayList<>(targets);
    while (!stack.isEmpty()) {
      Tensor t = stack.remove(stack.size() - 1);
      if (slots.containsKey(t) || needed.containsKey(t.node().id())) {
        continue;
      }
      if (t.node().frame() != frame || t.node().op() instanceof Capture) {
        throw new Unsupported();
      }
      needed.put(t.node().id(), t.node());
      stack.addAll(t.node().inputs());
    }
    List<Kernel> kernels = new ArrayList<>();
    Map<Integer, float[]> fixed = new HashMap<>();
    boolean[] constant = new boolean[sources.size() + needed.size()];
    for (int i = sources.size() - constantSources; i < sources.size(); i++) {
      constant[i] = true;
    }
    for (Node n : needed.values()) {
      if (n.outputCount() != 1 || !isFloat(n.output(0))) {
        throw new Unsupported();
      }
      int[] in = new int[n.inputs().size()];
      long[][] inShapes = new long[in.length][];
      for (int i = 0; i < in.length; i++) {
        in[i] = slots.get(n.input(i));
        inShapes[i] = shapes.get(in[i]);
      }
      int out = shapes.size();
      slots.put(n.output(0), out);
      long[] outShape = outputShape(n, inShapes);
      shapes.add(outShape);
      Object k = kernel(n, in, inShapes, out, outShape, constant);
      if (k instanceof float[] value) {
        fixed.put(out, value);
        constant[out] = true;
      } else {
        kernels.add((Kernel) k);
      }
    }
    float[][] values = new float[shapes.size()][];
    for (int i = 0; i < values.length; i++) {
      float[] c = fixed.get(i);
      values[i] = c != null ? c : new float[IndexMaps.size(shapes.get(i))];
    }
    int[] sourceSlots = new int[sources.size()];
    for (int i = 0; i < sourceSlots.length; i++) {
      sourceSlots[i] = slots.get(sources.get(i));
    }
    int[] targetSlots = new int[targets.size()];
    long[][] targetShapes = new long[targets.size()][];
    for (int i = 0; i < targetSlots.length; i++) {
      targetSlots[i] = slots.get(targets.get(i));
      targetShapes[i] = shapes.get(targetSlots[i]);
    }
    return new CompiledFrame(
        values, sourceSlots, targetSlots, targetShapes, kernels.toArray(Kernel[]::new));
  }

  private static boolean isFloat(Tensor t) {
    return t.dtype() == DType.FLOAT32 || t.dtype() == DType.BOOL;
  }

  /** The buffer a source is written into before {@link #run()}. */
  public float[] source(int i) {
    return values[sourceSlots[i]];
  }

  /** The buffer holding target {@code i} after {@link #run()}. */
  public float[] target(int i) {
    return values[targetSlots[i]];
  }

  public long[] targetShape(int i) {
    return targetShapes[i].clone();
  }

  private long epoch;

  /**
   * Declares that the constant sources (the captured values, see {@code constantSources} of {@link
   * #tryCompile}) have been rewritten; kernels drop what they cached from them.
   */
  public void constantsChanged() {
    epoch++;
  }

  /** Runs every kernel once. */
  public void run() {
    for (Kernel k : kernels) {
      k.run(values, epoch);
    }
  }

  // ---- shapes --------------------------------------------------------------------------------

  private static long[] outputShape(Node n, long[][] in) throws Unsupported {
    // run the op's own static shape rule on concrete shapes
    List<dev.scanflow.graph.TensorSpec> specs = new ArrayList<>();
    for (int i = 0; i < in.length; i++) {
      specs.add(
          new dev.scanflow.graph.TensorSpec(
              dev.scanflow.graph.Shape.of(in[i]), n.input(i).dtype()));
    }
    long[] s;
    try {
      s = n.op().inferShape(specs).get(0).shape().dims();
    } catch (IllegalArgumentException e) {
      throw new Unsupported();
    }
    for (long d : s) {
      if (d < 0) {
        throw new Unsupported();
      }
    }
    return s;
  }

  // ---- kernels -------------------------------------------------------------------------------

  /** A kernel, or a float[] for an output that is the same on every run. */
  private static Object kernel(
      Node n, int[] in, long[][] inShapes, int out, long[] outShape, boolean[] constant)
      throws Unsupported {
    int size = IndexMaps.size(outShape);
    dev.scanflow.graph.Op op = n.op();
    if (op instanceof Constant c) {
      if (c.value().dataType() != DataType.FLOAT) {
        throw new Unsupported();
      }
      return c.value().isEmpty()
          ? new float[0]
          : c.value().dup('c').reshape(c.value().length()).toFloatVector();
    }
    if (op instanceof FillLike f) {
      float[] v = new float[size];
      Arrays.fill(v, (float) f.value());
      return v;
    }
    if (op instanceof CountOf c) {
      long count = 1;
      for (int a : normalize(c.axes(), inShapes[0].length)) {
        count *= inShapes[0][a];
      }
      return new float[] {count};
    }
    if (op instanceof Cast c && (c.to() != DType.FLOAT32 || n.input(0).dtype() != DType.FLOAT32)) {
      throw new Unsupported();
    }
    if (op instanceof Identity
        || op instanceof StopGradient
        || op instanceof Reshape
        || op instanceof ReshapeLike
        || op instanceof ExpandDims
        || op instanceof Squeeze
        || op instanceof Cast) {
      return copy(in[0], out);
    }
    if (op instanceof Neg) {
      return unary(in[0], out, v -> -v);
    }
    if (op instanceof Tanh) {
      return unary(in[0], out, v -> (float) Math.tanh(v));
    }
    if (op instanceof Sigmoid) {
      return unary(in[0], out, v -> (float) (1 / (1 + Math.exp(-v))));
    }
    if (op instanceof Exp) {
      return unary(in[0], out, v -> (float) Math.exp(v));
    }
    if (op instanceof Log) {
      return unary(in[0], out, v -> (float) Math.log(v));
    }
    if (op instanceof Sqrt) {
      return unary(in[0], out, v -> (float) Math.sqrt(v));
    }
    if (op instanceof Add) {
      return binary(in, inShapes, out, outShape, Float::sum);
    }
    if (op instanceof Sub) {
      return binary(in, inShapes, out, outShape, (a, b) -> a - b);
    }
    if (op instanceof Mul) {
      return binary(in, inShapes, out, outShape, (a, b) -> a * b);
    }
    if (op instanceof Div) {
      return binary(in, inShapes, out, outShape, (a, b) -> a / b);
    }
    if (op instanceof Pow) {
      return binary(in, inShapes, out, outShape, (a, b) -> (float) Math.pow(a, b));
    }
    if (op instanceof Compare c) {
      return binary(in, inShapes, out, outShape, comparison(c.kind()));
    }
    if (op instanceof Where) {
      return where(in, inShapes, out, outShape);
    }
    if (op instanceof MatMul m) {
      return matmul(m, in, inShapes, out, constant);
    }
    if (op instanceof ReduceSum r) {
      return reduce(
          in[0], inShapes[0], out, keptShape(inShapes[0], normalize(r.axes(), inShapes[0].length)));
    }
    if (op instanceof SumToShapeOf) {
      return reduce(in[0], inShapes[0], out, padTo(inShapes[1], inShapes[0].length));
    }
    if (op instanceof BroadcastLike b) {
      return gather(
          in[0], out, IndexMaps.broadcast(restored(inShapes[0], outShape, b.axes()), outShape));
    }
    if (op instanceof Transpose t) {
      return gather(
          in[0],
          out,
          transposeMap(
              inShapes[0], t.perm().length == 0 ? reversed(inShapes[0].length) : t.perm()));
    }
    if (op instanceof Slice s) {
      return gather(in[0], out, sliceMap(inShapes[0], s.begin(), outShape));
    }
    if (op instanceof Reverse) {
      return gather(in[0], out, reverseMap(inShapes[0]));
    }
    if (op instanceof PadLike p) {
      return pad(in[0], inShapes[0], out, outShape, p.begin());
    }
    if (op instanceof Concat c) {
      return concat(in, inShapes, out, outShape, c.axis());
    }
    if (op instanceof ConcatPart c) {
      return concatPart(in, inShapes, out, outShape, c.axis(), c.k());
    }
    throw new Unsupported();
  }

  private static int[] normalize(int[] axes, int rank) {
    if (axes.length == 0) {
      int[] all = new int[rank];
      for (int i = 0; i < rank; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
    }
    return out;
  }

  private static int[] reversed(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = rank - 1 - i;
    }
    return p;
  }

  private static Kernel copy(int in, int out) {
    return v -> System.arraycopy(v[in], 0, v[out], 0, v[out].length);
  }

  @FunctionalInterface
  private interface FloatOp {
    float apply(float x);
  }

  @FunctionalInterface
  private interface FloatOp2 {
    float apply(float a, float b);
  }

  private static Kernel unary(int in, int out, FloatOp f) {
    return v -> {
      float[] x = v[in];
      float[] y = v[out];
      for (int i = 0; i < y.length; i++) {
        y[i] = f.apply(x[i]);
      }
    };
  }

  private static FloatOp2 comparison(Compare.Kind kind) {
    return switch (kind) {
      case GREATER -> (a, b) -> a > b ? 1f : 0f;
      case GREATER_EQUAL -> (a, b) -> a >= b ? 1f : 0f;
      case LESS -> (a, b) -> a < b ? 1f : 0f;
      case LESS_EQUAL -> (a, b) -> a <= b ? 1f : 0f;
      case EQUAL -> (a, b) -> a == b ? 1f : 0f;
    };
  }

  private static Kernel binary(int[] in, long[][] inShapes, int out, long[] outShape, FloatOp2 f) {
    int a = in[0];
    int b = in[1];
    int size = IndexMaps.size(outShape);
    boolean aFull = IndexMaps.size(inShapes[0]) == size;
    boolean bFull = IndexMaps.size(inShapes[1]) == size;
    if (aFull && bFull) {
      return v -> {
        float[] x = v[a];
        float[] y = v[b];
        float[] z = v[out];
        for (int i = 0; i < z.length; i++) {
          z[i] = f.apply(x[i], y[i]);
        }
      };
    }
    if (aFull && IndexMaps.size(inShapes[1]) == 1) {
      return v -> {
        float[] x = v[a];
        float y = v[b][0];
        float[] z = v[out];
        for (int i = 0; i < z.length; i++) {
          z[i] = f.apply(x[i], y);
        }
      };
    }
    if (bFull && IndexMaps.size(inShapes[0]) == 1) {
      return v -> {
        float x = v[a][0];
        float[] y = v[b];
        float[] z = v[out];
        for (int i = 0; i < z.length; i++) {
          z[i] = f.apply(x, y[i]);
        }
      };
    }
    int[] ma = IndexMaps.broadcast(inShapes[0], outShape);
    int[] mb = IndexMaps.broadcast(inShapes[1], outShape);
    return v -> {
      float[] x = v[a];
      float[] y = v[b];
      float[] z = v[out];
      for (int i = 0; i < z.length; i++) {
        z[i] = f.apply(x[ma[i]], y[mb[i]]);
      }
    };
  }

  private static Kernel where(int[] in, long[][] inShapes, int out, long[] outShape) {
    int[] mc = IndexMaps.broadcast(inShapes[0], outShape);
    int[] mx = IndexMaps.broadcast(inShapes[1], outShape);
    int[] my = IndexMaps.broadcast(inShapes[2], outShape);
    return v -> {
      float[] c = v[in[0]];
      float[] x = v[in[1]];
      float[] y = v[in[2]];
      float[] z = v[out];
      for (int i = 0; i < z.length; i++) {
        z[i] = c[mc[i]] != 0f ? x[mx[i]] : y[my[i]];
      }
    };
  }

  private static Kernel matmul(MatMul op, int[] in, long[][] s, int out, boolean[] constant) {
    int m = (int) s[0][op.transposeX() ? 1 : 0];
    int k = (int) s[0][op.transposeX() ? 0 : 1];
    int n = (int) s[1][op.transposeY() ? 0 : 1];
    if (m == 0 || n == 0 || k == 0) {
      return v -> Arrays.fill(v[out], 0f);
    }
    Gemm gemm = Gemm.best();
    boolean tx = op.transposeX();
    boolean ty = op.transposeY();
    FloatBuffer a = direct(m * k);
    FloatBuffer b = direct(k * n);
    FloatBuffer c = direct(m * n);
    boolean aConstant = constant[in[0]];
    boolean bConstant = constant[in[1]];
    return new Kernel() {
      private long loadedEpoch = -1;

      @Override
      public void run(float[][] v) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void run(float[][] v, long epoch) {
        if (!aConstant || loadedEpoch != epoch) {
          a.put(0, v[in[0]]);
        }
        if (!bConstant || loadedEpoch != epoch) {
          b.put(0, v[in[1]]);
        }
        loadedEpoch = epoch;
        gemm.gemm(tx, ty, m, n, k, a, b, c);
        c.get(0, v[out]);
      }
    };
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private static long[] keptShape(long[] in, int[] axes) {
    long[] kept = in.clone();
    for (int a : axes) {
      kept[a] = 1;
    }
    return kept;
  }

  private static long[] padTo(long[] shape, int rank) {
    long[] p = new long[rank];
    Arrays.fill(p, 1);
    System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
    return p;
  }

  /** Sums {@code in} into an output whose shape, padded to in's rank, is {@code kept}. */
  private static Kernel reduce(int in, long[] inShape, int out, long[] kept) {
    int[] map = IndexMaps.broadcast(kept, inShape);
    return v -> {
      float[] x = v[in];
      float[] z = v[out];
      Arrays.fill(z, 0f);
      for (int i = 0; i < x.length; i++) {
        z[map[i]] += x[i];
      }
    };
  }

  private static long[] restored(long[] g, long[] ref, int[] axes) {
    if (axes.length == 0) {
      return g;
    }
    long[] kept = ref.clone();
    for (int a : axes) {
      kept[a] = 1;
    }
    return kept;
  }

  private static Kernel gather(int in, int out, int[] map) {
    if (IndexMaps.isIdentity(map)) {
      return copy(in, out);
    }
    return v -> {
      float[] x = v[in];
      float[] z = v[out];
      for (int i = 0; i < z.length; i++) {
        z[i] = x[map[i]];
      }
    };
  }

  private static int[] transposeMap(long[] in, int[] perm) {
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = in[perm[i]];
    }
    int n = IndexMaps.size(out);
    int[] map = new int[n];
    int[] idx = new int[out.length];
    int[] src = new int[in.length];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < perm.length; d++) {
        src[perm[d]] = idx[d];
      }
      map[i] = IndexMaps.offset(src, in);
      IndexMaps.increment(idx, out);
    }
    return map;
  }

  private static int[] sliceMap(long[] in, long[] begin, long[] out) {
    int n = IndexMaps.size(out);
    int[] map = new int[n];
    int[] idx = new int[out.length];
    int[] src = new int[in.length];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < out.length; d++) {
        src[d] = idx[d] + (int) begin[d];
      }
      map[i] = IndexMaps.offset(src, in);
      IndexMaps.increment(idx, out);
    }
    return map;
  }

  private static int[] reverseMap(long[] in) {
    int n = IndexMaps.size(in);
    int rows = (int) in[0];
    int row = rows == 0 ? 0 : n / rows;
    int[] map = new int[n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < row; j++) {
        map[r * row + j] = (rows - 1 - r) * row + j;
      }
    }
    return map;
  }

  private static Kernel pad(int in, long[] inShape, int out, long[] outShape, long[] begin) {
    int[] target = sliceMap(outShape, begin, inShape);
    return v -> {
      float[] x = v[in];
      float[] z = v[out];
      Arrays.fill(z, 0f);
      for (int i = 0; i < x.length; i++) {
        z[target[i]] = x[i];
      }
    };
  }

  private static Kernel concat(int[] in, long[][] inShapes, int out, long[] outShape, int axis) {
    int a = axis < 0 ? axis + outShape.length : axis;
    int[][] targets = new int[in.length][];
    long offset = 0;
    for (int j = 0; j < in.length; j++) {
      long[] begin = new long[outShape.length];
      begin[a] = offset;
      targets[j] = sliceMap(outShape, begin, inShapes[j]);
      offset += inShapes[j][a];
    }
    return v -> {
      float[] z = v[out];
      for (int j = 0; j < in.length; j++) {
        float[] x = v[in[j]];
        int[] t = targets[j];
        for (int i = 0; i < x.length; i++) {
          z[t[i]] = x[i];
        }
      }
    };
  }

  private static Kernel concatPart(
      int[] in, long[][] inShapes, int out, long[] outShape, int axis, int k) {
    long[] g = inShapes[0];
    int a = axis < 0 ? axis + g.length : axis;
    long offset = 0;
    for (int j = 0; j < k; j++) {
      offset += inShapes[j + 1][a];
    }
    long[] begin = new long[g.length];
    begin[a] = offset;
    return gather(in[0], out, sliceMap(g, begin, outShape));
  }

  // ---- conversions ---------------------------------------------------------------------------

  /** A new float32 array of {@code shape} holding {@code data} (row-major). */
  public static INDArray toArray(float[] data, long[] shape) {
    if (data.length == 0) {
      return org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, shape);
    }
    INDArray out = org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, shape);
    java.nio.FloatBuffer buf = out.data().asNioFloat();
    buf.position((int) out.offset());
    buf.put(data, 0, data.length);
    return out;
  }

  /** Copies an array's elements (row-major) into {@code dst}. */
  public static void copyIn(INDArray src, float[] dst) {
    if (dst.length == 0) {
      return;
    }
    INDArray flat = src.dataType() == DataType.FLOAT ? src : src.castTo(DataType.FLOAT);
    if (flat.isView() || flat.ordering() != 'c') {
      flat = flat.dup('c');
    }
    java.nio.FloatBuffer buf = flat.data().asNioFloat();
    buf.position((int) flat.offset());
    buf.get(dst, 0, dst.length);
  }
}
