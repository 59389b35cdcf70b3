package dev.scanflow.ops;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Factory methods for every op, primitive or composed. Each builds nodes in the graph's current
 * frame (a scan body while its lambda is traced). Composed ops need no gradient rule of their own.
 */
public final class Ops {
  private Ops() {}

  private static Graph graphOf(Tensor t) {
    return t.graph();
  }

  private static Tensor unary(dev.scanflow.graph.Op op, Tensor x) {
    return graphOf(x).add(op, null, x);
  }

  static Tensor binary(dev.scanflow.graph.Op op, Tensor x, Tensor y) {
    return graphOf(x).add(op, null, x, y);
  }

  // ---- arithmetic ------------------------------------------------------------------------------

  public static Tensor add(Tensor x, Tensor y) {
    return binary(new Add(), x, y);
  }

  public static Tensor sub(Tensor x, Tensor y) {
    return binary(new Sub(), x, y);
  }

  public static Tensor mul(Tensor x, Tensor y) {
    return binary(new Mul(), x, y);
  }

  public static Tensor div(Tensor x, Tensor y) {
    return binary(new Div(), x, y);
  }

  public static Tensor pow(Tensor x, Tensor p) {
    return binary(new Pow(), x, p);
  }

  public static Tensor neg(Tensor x) {
    return unary(new Neg(), x);
  }

  /** {@code x * x} (composed). */
  public static Tensor square(Tensor x) {
    return mul(x, x);
  }

  public static Tensor exp(Tensor x) {
    return unary(new Exp(), x);
  }

  public static Tensor log(Tensor x) {
    return unary(new Log(), x);
  }

  public static Tensor sqrt(Tensor x) {
    return unary(new Sqrt(), x);
  }

  /** Largest integer not above x, elementwise; not differentiable. */
  public static Tensor floor(Tensor x) {
    return unary(new Floor(), x);
  }

  /** The Euclidean norm of all elements of x (composed). */
  public static Tensor norm(Tensor x) {
    return sqrt(reduceSum(square(x), false));
  }

  /** Whether each element is finite (composed: x - x is 0 exactly when x is finite). */
  public static Tensor isFinite(Tensor x) {
    return equal(sub(x, x), zerosLike(x));
  }

  public static Tensor tanh(Tensor x) {
    return unary(new Tanh(), x);
  }

  public static Tensor sigmoid(Tensor x) {
    return unary(new Sigmoid(), x);
  }

  /** {@code max(x, 0)} (composed from where). */
  public static Tensor relu(Tensor x) {
    return where(greater(x, scalarLike(x, 0)), x, zerosLike(x));
  }

  /** Elementwise maximum (composed); ties send the gradient to {@code x}. */
  public static Tensor maximum(Tensor x, Tensor y) {
    return where(greaterEqual(x, y), x, y);
  }

  /** Elementwise minimum (composed); ties send the gradient to {@code x}. */
  public static Tensor minimum(Tensor x, Tensor y) {
    return where(lessEqual(x, y), x, y);
  }

  public static Tensor matmul(Tensor x, Tensor y) {
    return matmul(x, y, false, false);
  }

  public static Tensor matmul(Tensor x, Tensor y, boolean transposeX, boolean transposeY) {
    return binary(new MatMul(transposeX, transposeY), x, y);
  }

  // ---- comparisons and selection ---------------------------------------------------------------

  public static Tensor greater(Tensor x, Tensor y) {
    return binary(new Compare(Compare.Kind.GREATER), x, y);
  }

  public static Tensor greaterEqual(Tensor x, Tensor y) {
    return binary(new Compare(Compare.Kind.GREATER_EQUAL), x, y);
  }

  public static Tensor less(Tensor x, Tensor y) {
    return binary(new Compare(Compare.Kind.LESS), x, y);
  }

  public static Tensor lessEqual(Tensor x, Tensor y) {
    return binary(new Compare(Compare.Kind.LESS_EQUAL), x, y);
  }

  public static Tensor equal(Tensor x, Tensor y) {
    return binary(new Compare(Compare.Kind.EQUAL), x, y);
  }

  /** {@code cond ? x : y} elementwise with broadcasting. */
  public static Tensor where(Tensor cond, Tensor x, Tensor y) {
    return graphOf(x).add(new Where(), null, cond, x, y);
  }

  // ---- reductions ------------------------------------------------------------------------------

  /** Sum over {@code axes} (all axes when none given). */
  public static Tensor reduceSum(Tensor x, boolean keepDims, int... axes) {
    return unary(new ReduceSum(axes.clone(), keepDims), x);
  }

  /** Mean over {@code axes} (all when none), composed as sum / count. */
  public static Tensor reduceMean(Tensor x, boolean keepDims, int... axes) {
    Tensor sum = reduceSum(x, keepDims, axes);
    Tensor count = unary(new CountOf(axes.clone()), x);
    return div(sum, count);
  }

  // ---- shapes ----------------------------------------------------------------------------------

  public static Tensor reshape(Tensor x, long... shape) {
    return unary(new Reshape(shape.clone()), x);
  }

  public static Tensor reshapeLike(Tensor x, Tensor ref) {
    return binary(new ReshapeLike(), x, ref);
  }

  public static Tensor expandDims(Tensor x, int axis) {
    return unary(new ExpandDims(axis), x);
  }

  public static Tensor squeeze(Tensor x, int axis) {
    return unary(new Squeeze(axis), x);
  }

  /** Permutes dimensions; with no {@code perm}, reverses them. */
  public static Tensor transpose(Tensor x, int... perm) {
    return unary(new Transpose(perm.clone()), x);
  }

  public static Tensor concat(int axis, List<Tensor> xs) {
    if (xs.isEmpty()) {
      throw new IllegalArgumentException("concat: needs at least one input");
    }
    return graphOf(xs.get(0)).addNode(new Concat(axis), null, xs).output();
  }

  public static Tensor concat(int axis, Tensor... xs) {
    return concat(axis, List.of(xs));
  }

  static Tensor concatPart(Tensor g, int axis, int k, List<Tensor> inputs) {
    List<Tensor> all = new ArrayList<>();
    all.add(g);
    all.addAll(inputs);
    return graphOf(g).addNode(new ConcatPart(axis, k), null, all).output();
  }

  /** Stacks tensors of one shape along a new dimension {@code axis} (composed). */
  public static Tensor stack(int axis, List<Tensor> xs) {
    List<Tensor> expanded = new ArrayList<>();
    for (Tensor x : xs) {
      expanded.add(expandDims(x, axis));
    }
    return concat(axis, expanded);
  }

  /** Splits {@code x} along {@code axis}, whose size must be known (composed). */
  public static List<Tensor> unstack(Tensor x, int axis) {
    Shape s = x.shape();
    int a = Kernels.normalizeAxis("unstack", axis, s.rank());
    long n = s.dim(a);
    if (n == Shape.UNKNOWN) {
      throw new IllegalArgumentException(
          "unstack: dimension " + a + " of " + x + " " + s + " must be known");
    }
    List<Tensor> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      long[] begin = new long[s.rank()];
      long[] size = new long[s.rank()];
      java.util.Arrays.fill(size, -1);
      begin[a] = i;
      size[a] = 1;
      out.add(squeeze(slice(x, begin, size), a));
    }
    return out;
  }

  /** The rows of {@code x} in reverse order. */
  public static Tensor reverse(Tensor x) {
    return unary(new Reverse(), x);
  }

  /** {@code x[begin : begin + size]}; a size of -1 runs to the end of the dimension. */
  public static Tensor slice(Tensor x, long[] begin, long[] size) {
    return unary(new Slice(begin.clone(), size.clone()), x);
  }

  static Tensor padLike(Tensor g, Tensor ref, long[] begin) {
    return binary(new PadLike(begin.clone()), g, ref);
  }

  /** Rows of {@code x} picked by an int vector. */
  public static Tensor gather(Tensor x, Tensor indices) {
    return binary(new Gather(), x, indices);
  }

  static Tensor scatterAddLike(Tensor g, Tensor indices, Tensor ref) {
    return graphOf(g).add(new ScatterAddLike(), null, g, indices, ref);
  }

  /** Broadcasts {@code g} to the run-time shape of {@code ref}, restoring reduced {@code axes}. */
  public static Tensor broadcastLike(Tensor g, Tensor ref, int[] axes) {
    return binary(new BroadcastLike(axes.clone()), g, ref);
  }

  /** Sums {@code g} over the dimensions along which {@code ref} was broadcast. */
  public static Tensor sumToShapeOf(Tensor g, Tensor ref) {
    return binary(new SumToShapeOf(), g, ref);
  }

  // ---- state ---------------------------------------------------------------------------------

  /** {@code variable := value}, applied when the run completes; outputs the new value. */
  public static Tensor assign(Tensor variable, Tensor value) {
    if (!(variable.node().op() instanceof Variable)) {
      throw new dev.scanflow.graph.GraphException(variable + " is not a variable");
    }
    return variable.graph().add(new Assign(variable.node()), "assign", value);
  }

  /** Runs all {@code ops} when fetched; outputs {@code true}. */
  public static Tensor group(String name, List<Tensor> ops) {
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("group: nothing to group");
    }
    return ops.get(0).graph().addNode(new Group(), name, ops).output();
  }

  // ---- values ----------------------------------------------------------------------------------

  public static Tensor identity(Tensor x) {
    return unary(new Identity(), x);
  }

  public static Tensor stopGradient(Tensor x) {
    return unary(new StopGradient(), x);
  }

  public static Tensor cast(Tensor x, DType to) {
    return unary(new Cast(to), x);
  }

  public static Tensor zerosLike(Tensor x) {
    return unary(new FillLike(0), x);
  }

  public static Tensor onesLike(Tensor x) {
    return unary(new FillLike(1), x);
  }

  /** A constant of the given static shape filled with {@code value}. */
  public static Tensor fill(Graph g, DType dtype, double value, long... shape) {
    return g.constant(Nd4j.valueArrayOf(shape, value, dtype.nd4j()));
  }

  /** A scalar constant with {@code x}'s type. */
  public static Tensor scalarLike(Tensor x, double value) {
    return x.graph().scalar(value, x.dtype());
  }
}
