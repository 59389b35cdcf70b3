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
  /** One compiled node: reads and writes the frame's buffers, indexed by slot. */
  @FunctionalInterface
  public interface Kernel {
    void run(float[][] v);
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
      this("unsupported");
    }

    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(CompiledFrame.class);

  /**
   * Compiles the nodes computing {@code targets} from {@code sources} (with the given concrete
   * shapes), or returns {@code null} when some node cannot run here. The last {@code
   * constantSources} sources change only between runs of the whole scan (its captured values).
   * Buffers come from {@code buffers}: a shared pool for top-level requests, fresh arrays for scan
   * bodies.
   */
  static CompiledFrame tryCompile(
      Frame frame,
      List<Tensor> sources,
      long[][] sourceShapes,
      List<Tensor> targets,
      int constantSources,
      NestedCompiler nested,
      BufferPool.Allocator buffers) {
    try {
      return compile(frame, sources, sourceShapes, targets, constantSources, nested, buffers);
    } catch (Unsupported e) {
      LOG.debug("frame '{}' runs op by op: {}", frame.name(), e.getMessage());
      return null;
    }
  }

  private static CompiledFrame compile(
      Frame frame,
      List<Tensor> sources,
      long[][] sourceShapes,
      List<Tensor> targets,
      int constantSources,
      NestedCompiler nested,
      BufferPool.Allocator buffers)
      throws Unsupported {
    Map<Tensor, Integer> slots = new HashMap<>();
    List<long[]> shapes = new ArrayList<>();
    List<DType> types = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      if (!isSupported(sources.get(i).dtype())) {
        throw new Unsupported("source " + sources.get(i) + " is " + sources.get(i).dtype());
      }
      slots.put(sources.get(i), shapes.size());
      shapes.add(sourceShapes[i]);
      types.add(sources.get(i).dtype());
    }
    TreeMap<Integer, Node> needed = new TreeMap<>();
    List<Node> variables = new ArrayList<>();
    java.util.Set<Tensor> used = new java.util.HashSet<>(targets);
    List<Tensor> stack = new ArrayList<>(targets);
    while (!stack.isEmpty()) {
      Tensor t = stack.remove(stack.size() - 1);
      if (slots.containsKey(t) || needed.containsKey(t.node().id())) {
        continue;
      }
      Node n = t.node();
      if (n.frame() != frame
          || n.op() instanceof Capture
          || n.op() instanceof dev.scanflow.ops.Placeholder) {
        throw new Unsupported("needs " + n.name() + ", which is fed by nothing here");
      }
      if (n.op() instanceof dev.scanflow.ops.Variable v) {
        if (!isSupported(v.spec().dtype())) {
          throw new Unsupported("variable " + n.name() + " is " + v.spec().dtype());
        }
        variables.add(n);
        slots.put(n.output(0), shapes.size());
        shapes.add(v.spec().shape().dims());
        types.add(v.spec().dtype());
        continue;
      }
      needed.put(n.id(), n);
      used.addAll(n.inputs());
      stack.addAll(n.inputs());
    }
    List<Kernel> kernels = new ArrayList<>();
    List<int[]> kernelInputs = new ArrayList<>();
    List<int[]> kernelOutputs = new ArrayList<>();
    long[] epoch = new long[1];
    Map<Integer, float[]> fixed = new HashMap<>();
    Map<Integer, Integer> aliasOf = new HashMap<>();
    long[] runs = new long[1];
    java.util.Set<Integer> unusedOutputs = new java.util.HashSet<>();
    List<Node> assigned = new ArrayList<>();
    List<Integer> assignedSlots = new ArrayList<>();
    java.util.Set<Integer> constantSlots = new java.util.HashSet<>();
    for (int i = sources.size() - constantSources; i < sources.size(); i++) {
      constantSlots.add(i);
    }
    Mirrors mirrors = new Mirrors(aliasOf, constantSlots, epoch, runs);
    for (Node n : needed.values()) {
      int[] in = new int[n.inputs().size()];
      long[][] inShapes = new long[in.length][];
      for (int i = 0; i < in.length; i++) {
        in[i] = slots.get(n.input(i));
        inShapes[i] = shapes.get(in[i]);
      }
      List<long[]> outShapes = outputShapes(n, inShapes);
      int[] outs = new int[n.outputCount()];
      boolean[] outUsed = new boolean[outs.length];
      for (int o = 0; o < outs.length; o++) {
        if (!isSupported(n.output(o).dtype())) {
          throw new Unsupported("node " + n.name() + " produces " + n.output(o).dtype());
        }
        outs[o] = shapes.size();
        slots.put(n.output(o), outs[o]);
        shapes.add(outShapes.get(o));
        types.add(n.output(o).dtype());
        outUsed[o] = used.contains(n.output(o));
        if (!outUsed[o] && n.op() instanceof Compilable) {
          unusedOutputs.add(outs[o]);
        }
      }
      for (int i = 0; i < in.length; i++) {
        if (isInteger(types.get(in[i]))
            && !(n.op() instanceof Cast
                || n.op() instanceof Add
                || n.op() instanceof Sub
                || n.op() instanceof Mul
                || n.op() instanceof Compare
                || n.op() instanceof dev.scanflow.ops.Assign
                || n.op() instanceof dev.scanflow.ops.Group
                || n.op() instanceof Identity)) {
          throw new Unsupported("integer input to " + n.op().name() + " (node " + n.name() + ")");
        }
      }
      Object k;
      if (n.op() instanceof Compilable c) {
        k = c.compile(new CompileContext(in, inShapes, outs, outShapes, outUsed, nested));
        if (k == null) {
          throw new Unsupported("node " + n.name() + " (" + n.op().name() + ") does not compile");
        }
      } else if (n.op() instanceof dev.scanflow.ops.Assign a) {
        if (assigned.contains(a.variable())) {
          throw new Unsupported("variable " + a.variable().name() + " assigned twice");
        }
        assigned.add(a.variable());
        assignedSlots.add(outs[0]);
        k = ALIAS;
      } else if (n.op() instanceof dev.scanflow.ops.Group) {
        k = new float[] {1f};
      } else if (n.op() instanceof Cast c && isInteger(c.to()) && !isInteger(types.get(in[0]))) {
        k = unary(in[0], outs[0], v -> (float) (long) v);
      } else if (outs.length == 1) {
        k = kernel(n, in, inShapes, outs[0], outShapes.get(0), mirrors);
      } else {
        throw new Unsupported("no kernel for " + n.op().name() + " (node " + n.name() + ")");
      }
      if (k == ALIAS) {
        // same values, same order: the output shares the input's buffer
        aliasOf.put(outs[0], aliasOf.getOrDefault(in[0], in[0]));
        if (constantSlots.contains(in[0])) {
          constantSlots.add(outs[0]);
        }
      } else if (k instanceof float[] value) {
        fixed.put(outs[0], value);
        constantSlots.add(outs[0]);
      } else {
        kernels.add((Kernel) k);
        kernelInputs.add(in);
        kernelOutputs.add(outs);
      }
    }
    java.util.Set<Integer> pinned = new java.util.HashSet<>(fixed.keySet());
    for (int i = 0; i < sources.size(); i++) {
      pinned.add(slots.get(sources.get(i)));
    }
    for (Node v : variables) {
      pinned.add(slots.get(v.output(0)));
    }
    for (Tensor t : targets) {
      pinned.add(slots.get(t));
    }
    pinned.addAll(assignedSlots);
    float[][] values =
        allocate(
            shapes, fixed, pinned, aliasOf, unusedOutputs, kernelInputs, kernelOutputs, buffers);
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
    int[] variableSlots = new int[variables.size()];
    for (int i = 0; i < variableSlots.length; i++) {
      variableSlots[i] = slots.get(variables.get(i).output(0));
    }
    CompiledFrame f =
        new CompiledFrame(
            values, sourceSlots, targetSlots, targetShapes, kernels.toArray(Kernel[]::new));
    f.epoch = epoch;
    f.runs = runs;
    f.variables = List.copyOf(variables);
    f.variableSlots = variableSlots;
    f.assigned = List.copyOf(assigned);
    f.assignedSlots = assignedSlots.stream().mapToInt(Integer::intValue).toArray();
    return f;
  }

  /**
   * One buffer per slot, where slots whose lifetimes do not overlap share a buffer of their size: a
   * kernel's outputs take buffers before its inputs' are released, so no kernel writes over what it
   * reads. Sources, variables, targets, assigned values and constants keep their own. A slot in
   * {@code aliasOf} (the output of a reshape, identity or assignment) is its root slot's buffer,
   * which lives as long as any of them is used and is kept if any of them must be.
   */
  private static float[][] allocate(
      List<long[]> shapes,
      Map<Integer, float[]> fixed,
      java.util.Set<Integer> pinnedSlots,
      Map<Integer, Integer> aliasOf,
      java.util.Set<Integer> unusedOutputs,
      List<int[]> kernelInputs,
      List<int[]> kernelOutputs,
      BufferPool.Allocator buffers) {
    int n = shapes.size();
    int[] root = new int[n];
    for (int i = 0; i < n; i++) {
      root[i] = aliasOf.getOrDefault(i, i);
    }
    java.util.Set<Integer> pinned = new java.util.HashSet<>();
    for (int s : pinnedSlots) {
      pinned.add(root[s]);
    }
    int[] lastUse = new int[n];
    Arrays.fill(lastUse, -1);
    for (int k = 0; k < kernelInputs.size(); k++) {
      for (int s : kernelInputs.get(k)) {
        lastUse[root[s]] = k;
      }
    }
    float[][] values = new float[n][];
    for (int i = 0; i < n; i++) {
      if (root[i] != i) {
        continue;
      }
      if (unusedOutputs.contains(i)) {
        values[i] = new float[0]; // a scan's history nobody reads: never written
      } else if (fixed.containsKey(i)) {
        values[i] = fixed.get(i);
      } else if (pinned.contains(i)) {
        values[i] = buffers.take(IndexMaps.size(shapes.get(i)));
      }
    }
    Map<Integer, java.util.ArrayDeque<float[]>> free = new HashMap<>();
    for (int k = 0; k < kernelOutputs.size(); k++) {
      for (int o : kernelOutputs.get(k)) {
        if (values[o] == null) {
          java.util.ArrayDeque<float[]> pool = free.get(IndexMaps.size(shapes.get(o)));
          values[o] =
              pool != null && !pool.isEmpty()
                  ? pool.pop()
                  : buffers.take(IndexMaps.size(shapes.get(o)));
        }
      }
      java.util.Set<Integer> done = new java.util.HashSet<>();
      for (int in : kernelInputs.get(k)) {
        int s = root[in];
        if (lastUse[s] == k && !pinned.contains(s) && done.add(s)) {
          free.computeIfAbsent(values[s].length, x -> new java.util.ArrayDeque<>()).push(values[s]);
        }
      }
      for (int o : kernelOutputs.get(k)) {
        if (lastUse[o] < 0 && !pinned.contains(o) && done.add(o)) {
          free.computeIfAbsent(values[o].length, x -> new java.util.ArrayDeque<>()).push(values[o]);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (root[i] == i && values[i] == null) {
        values[i] = buffers.take(IndexMaps.size(shapes.get(i)));
      }
    }
    for (int i = 0; i < n; i++) {
      values[i] = values[root[i]];
    }
    return values;
  }

  private List<Node> variables = List.of();
  private int[] variableSlots = new int[0];
  private List<Node> assigned = List.of();
  private int[] assignedSlots = new int[0];

  /** The variables this frame reads, in the order of {@link #variable(int)}. */
  public List<Node> variables() {
    return variables;
  }

  /** The buffer the value of variable {@code i} is copied into before {@link #run()}. */
  public float[] variable(int i) {
    return values[variableSlots[i]];
  }

  /** The variables this frame assigns, in the order of {@link #assignedValue(int)}. */
  public List<Node> assigned() {
    return assigned;
  }

  /** The new value of assigned variable {@code i} after {@link #run()}. */
  public float[] assignedValue(int i) {
    return values[assignedSlots[i]];
  }

  private static boolean isSupported(DType t) {
    return t == DType.FLOAT32 || t == DType.BOOL || t == DType.INT32 || t == DType.INT64;
  }

  private static boolean isInteger(DType t) {
    return t == DType.INT32 || t == DType.INT64;
  }

  /** Compiles nested frames (scan bodies), sharing the session's cache. */
  @FunctionalInterface
  public interface NestedCompiler {
    CompiledFrame compile(
        Frame frame,
        List<Tensor> sources,
        long[][] shapes,
        List<Tensor> targets,
        int constantSources);
  }

  /**
   * What an op that compiles itself ({@link Compilable}) is given. An output whose {@code
   * outputUsed} entry is false has an empty buffer, which the kernel must not write.
   */
  public record CompileContext(
      int[] inputs,
      long[][] inputShapes,
      int[] outputs,
      List<long[]> outputShapes,
      boolean[] outputUsed,
      NestedCompiler nested) {}

  /** An op with its own compiled kernel (a scan). Returns {@code null} when it cannot compile. */
  public interface Compilable {
    Kernel compile(CompileContext c);
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

  /**
   * Counts rewrites of the constant sources; shared with the kernels that cache what depends only
   * on them (a product's captured operand).
   */
  private long[] epoch = new long[1];

  /**
   * Counts runs; a product's direct-buffer copy of an operand is good for the run it was made in.
   */
  private long[] runs = new long[1];

  /**
   * Declares that the constant sources (the captured values, see {@code constantSources} of {@link
   * #tryCompile}) have been rewritten; kernels drop what they cached from them.
   */
  public void constantsChanged() {
    epoch[0]++;
  }

  /** Runs every kernel once. */
  public void run() {
    runs[0]++;
    for (Kernel k : kernels) {
      k.run(values);
    }
  }

  // ---- shapes --------------------------------------------------------------------------------

  private static List<long[]> outputShapes(Node n, long[][] in) throws Unsupported {
    // run the op's own static shape rule on concrete shapes
    List<dev.scanflow.graph.TensorSpec> specs = new ArrayList<>();
    for (int i = 0; i < in.length; i++) {
      specs.add(
          new dev.scanflow.graph.TensorSpec(
              dev.scanflow.graph.Shape.of(in[i]), n.input(i).dtype()));
    }
    List<long[]> out = new ArrayList<>();
    try {
      for (dev.scanflow.graph.TensorSpec spec : n.op().inferShape(specs)) {
        long[] s = spec.shape().dims();
        for (long d : s) {
          if (d < 0) {
            throw new Unsupported("unknown output shape of " + n.name());
          }
        }
        out.add(s);
      }
    } catch (IllegalArgumentException e) {
      throw new Unsupported("shape rule of " + n.name() + ": " + e.getMessage());
    }
    return out;
  }

  // ---- kernels -------------------------------------------------------------------------------

  /** A kernel, or a float[] for an output that is the same on every run. */
  private static Object kernel(
      Node n, int[] in, long[][] inShapes, int out, long[] outShape, Mirrors mirrors)
      throws Unsupported {
    int size = IndexMaps.size(outShape);
    dev.scanflow.graph.Op op = n.op();
    if (op instanceof Constant c) {
      if (!isSupported(DType.of(c.value().dataType()))) {
        throw new Unsupported("constant " + n.name() + " is " + c.value().dataType());
      }
      return c.value().isEmpty()
          ? new float[0]
          : c.value().castTo(DataType.FLOAT).dup('c').reshape(c.value().length()).toFloatVector();
    }
    if (op instanceof FillLike f) {
      float[] v = new float[size];
      Arrays.fill(v, (float) f.value());
      return v;
    }
    if (op instanceof CountOf c) {
      long count = 1;
      for (int a :
          dev.scanflow.ops.Kernels.normalizeAxes("count_of", c.axes(), inShapes[0].length)) {
        count *= inShapes[0][a];
      }
      return new float[] {count};
    }
    if (op instanceof Cast c && c.to() == DType.BOOL) {
      return unary(in[0], out, v -> v != 0f ? 1f : 0f);
    }
    if (op instanceof Identity
        || op instanceof StopGradient
        || op instanceof Reshape
        || op instanceof ReshapeLike
        || op instanceof ExpandDims
        || op instanceof Squeeze
        || op instanceof Cast) {
      return ALIAS;
    }
    if (op instanceof Neg) {
      return unary(in[0], out, v -> -v);
    }
    if (op instanceof Tanh) {
      int x = in[0];
      return (Kernel)
          v -> {
            // a direct loop rather than a FloatOp call, which stops being inlined once shared
            float[] a = v[x];
            float[] z = v[out];
            for (int i = 0; i < z.length; i++) {
              z[i] = tanh(a[i]);
            }
          };
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
    if (op instanceof dev.scanflow.ops.Floor) {
      return unary(in[0], out, v -> (float) Math.floor(v));
    }
    if (op instanceof Sqrt) {
      return unary(in[0], out, v -> (float) Math.sqrt(v));
    }
    if (op instanceof Add) {
      return binary(in, inShapes, out, outShape, ADD);
    }
    if (op instanceof Sub) {
      return binary(in, inShapes, out, outShape, SUB);
    }
    if (op instanceof Mul) {
      return binary(in, inShapes, out, outShape, MUL);
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
      return matmul(m, in, inShapes, out, mirrors);
    }
    if (op instanceof ReduceSum r) {
      return reduce(
          in[0],
          inShapes[0],
          out,
          keptShape(
              inShapes[0],
              dev.scanflow.ops.Kernels.normalizeAxes("reduce_sum", r.axes(), inShapes[0].length)));
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
    throw new Unsupported("no kernel for " + op.name() + " (node " + n.name() + ")");
  }

  private static int[] reversed(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = rank - 1 - i;
    }
    return p;
  }

  /**
   * tanh as a rational function of odd degree 13 over even degree 6 on inputs clamped to [-7.9988,
   * 7.9988]: only multiplies, adds, one division and min/max, which the JIT vectorises, where
   * {@code Math.tanh} or {@code Math.exp} cost a call per element (about 0.6 against 7 ns per
   * element here). The coefficients are the minimax fit Eigen publishes for its fast float tanh;
   * the tests bound the error against {@code Math.tanh} (at most 5e-7 absolute, a few ulp).
   */
  static float tanh(float x) {
    float c = Math.min(TANH_CLAMP, Math.max(-TANH_CLAMP, x));
    float x2 = c * c;
    float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = x2 * p + -8.60467152213735e-11f;
    p = x2 * p + 5.12229709037114e-08f;
    p = x2 * p + 1.48572235717979e-05f;
    p = x2 * p + 6.37261928875436e-04f;
    p = x2 * p + 4.89352455891786e-03f;
    float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = x2 * q + 2.26843463243900e-03f;
    q = x2 * q + 4.89352518554385e-03f;
    return c * p / q;
  }

  private static final float TANH_CLAMP = 7.99881172180175781f;

  /**
   * What {@link #kernel} returns for an op whose output is its input's values in the same order.
   */
  private static final Object ALIAS = new Object();

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
    Kernel fast = arithmetic(f, in, inShapes, out, outShape);
    if (fast != null) {
      return fast;
    }
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

  private static final FloatOp2 ADD = Float::sum;
  private static final FloatOp2 SUB = (a, b) -> a - b;
  private static final FloatOp2 MUL = (a, b) -> a * b;

  /**
   * Add, subtract and multiply on equal shapes or against a scalar, as loops the JIT can vectorise
   * (a call through {@link FloatOp2} per element is not inlined once several ops share the site).
   */
  private static Kernel arithmetic(
      FloatOp2 f, int[] in, long[][] inShapes, int out, long[] outShape) {
    int size = IndexMaps.size(outShape);
    int sa = IndexMaps.size(inShapes[0]);
    int sb = IndexMaps.size(inShapes[1]);
    int a = in[0];
    int b = in[1];
    if (sa == size && sb == size) {
      if (f == ADD) {
        return v -> {
          float[] x = v[a], y = v[b], z = v[out];
          for (int i = 0; i < z.length; i++) {
            z[i] = x[i] + y[i];
          }
        };
      }
      if (f == SUB) {
        return v -> {
          float[] x = v[a], y = v[b], z = v[out];
          for (int i = 0; i < z.length; i++) {
            z[i] = x[i] - y[i];
          }
        };
      }
      if (f == MUL) {
        return v -> {
          float[] x = v[a], y = v[b], z = v[out];
          for (int i = 0; i < z.length; i++) {
            z[i] = x[i] * y[i];
          }
        };
      }
    }
    if (sa == size && sb == 1 && size > 1) {
      if (f == MUL) {
        return v -> {
          float[] x = v[a], z = v[out];
          float y = v[b][0];
          for (int i = 0; i < z.length; i++) {
            z[i] = x[i] * y;
          }
        };
      }
      if (f == ADD) {
        return v -> {
          float[] x = v[a], z = v[out];
          float y = v[b][0];
          for (int i = 0; i < z.length; i++) {
            z[i] = x[i] + y;
          }
        };
      }
    }
    if (sa == size && sb > 1 && sb < size && repeats(inShapes[1], outShape)) {
      // a row (the trailing dimensions) against every row of x, e.g. adding a bias
      return rows(f, a, b, out, sb, false);
    }
    if (sb == size && sa > 1 && sa < size && repeats(inShapes[0], outShape)) {
      return rows(f, b, a, out, sa, true);
    }
    if (sb == size && sa == 1 && size > 1 && f == MUL) {
      return v -> {
        float[] y = v[b], z = v[out];
        float x = v[a][0];
        for (int i = 0; i < z.length; i++) {
          z[i] = x * y[i];
        }
      };
    }
    return null;
  }

  /**
   * Whether an operand of shape {@code in} broadcast to {@code out} is the same row repeated: after
   * leading ones, its dimensions are out's trailing ones.
   */
  private static boolean repeats(long[] in, long[] out) {
    long[] p = padTo(in, out.length);
    int d = 0;
    while (d < p.length && p[d] == 1) {
      d++;
    }
    for (; d < p.length; d++) {
      if (p[d] != out[d]) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code z = f(x, row)} for each row of x (or {@code f(row, x)} when {@code rowFirst}), with
   * loops the JIT vectorises for add, subtract and multiply.
   */
  private static Kernel rows(FloatOp2 f, int full, int row, int out, int width, boolean rowFirst) {
    if (f == ADD || (f == SUB && !rowFirst)) {
      float sign = f == ADD ? 1f : -1f;
      return v -> {
        float[] x = v[full], y = v[row], z = v[out];
        for (int off = 0; off < z.length; off += width) {
          for (int j = 0; j < width; j++) {
            z[off + j] = x[off + j] + sign * y[j];
          }
        }
      };
    }
    if (f == MUL) {
      return v -> {
        float[] x = v[full], y = v[row], z = v[out];
        for (int off = 0; off < z.length; off += width) {
          for (int j = 0; j < width; j++) {
            z[off + j] = x[off + j] * y[j];
          }
        }
      };
    }
    if (f == SUB) {
      return v -> {
        float[] x = v[full], y = v[row], z = v[out];
        for (int off = 0; off < z.length; off += width) {
          for (int j = 0; j < width; j++) {
            z[off + j] = y[j] - x[off + j];
          }
        }
      };
    }
    return null;
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

  private static Kernel matmul(MatMul op, int[] in, long[][] s, int out, Mirrors mirrors) {
    int m = (int) s[0][op.transposeX() ? 1 : 0];
    int k = (int) s[0][op.transposeX() ? 0 : 1];
    int n = (int) s[1][op.transposeY() ? 0 : 1];
    if (m == 0 || n == 0 || k == 0) {
      return v -> Arrays.fill(v[out], 0f);
    }
    if (k == 1) {
      // an outer product: op(a) is a column and op(b) a row whatever the transposes, and a BLAS
      // call would cost more in copies than the m x n multiplies
      int x = in[0];
      int y = in[1];
      return v -> {
        float[] col = v[x], row = v[y], z = v[out];
        for (int i = 0; i < m; i++) {
          float c = col[i];
          int off = i * n;
          for (int j = 0; j < n; j++) {
            z[off + j] = c * row[j];
          }
        }
      };
    }
    Gemm gemm = Gemm.best();
    boolean tx = op.transposeX();
    boolean ty = op.transposeY();
    // a transposed right operand is transposed once per scan, which pays off with a few rows; a
    // single row goes to the buffer path, where BLAS reads the transpose in place
    if (!tx && gemm.takesArrays(m, n, k) && (!ty || (mirrors.isConstant(in[1]) && m >= 4))) {
      return arrayMatmul(gemm, m, n, k, in[0], in[1], ty, out, mirrors);
    }
    Mirror a = mirrors.of(in[0], m * k);
    Mirror b = mirrors.of(in[1], k * n);
    Mirror c = mirrors.of(out, m * n);
    int x = in[0];
    int y = in[1];
    return v -> {
      gemm.gemm(tx, ty, m, n, k, a.load(v[x]), b.load(v[y]), c.buffer);
      c.buffer.get(0, v[out]);
      c.written();
    };
  }

  /**
   * A product the {@link Gemm} computes on the frame's own arrays. A transposed right operand must
   * be constant (a scan's captured weights, as in {@code g W^T}): it is transposed once per scan.
   */
  private static Kernel arrayMatmul(
      Gemm gemm, int m, int n, int k, int x, int y, boolean ty, int out, Mirrors mirrors) {
    if (!ty) {
      return v -> gemm.gemm(m, n, k, v[x], v[y], v[out]);
    }
    float[] transposed = new float[k * n];
    long[] epoch = mirrors.epoch;
    long[] loaded = {Long.MIN_VALUE};
    return v -> {
      if (loaded[0] != epoch[0]) {
        // y is stored [n, k]
        float[] src = v[y];
        for (int r = 0; r < n; r++) {
          for (int p = 0; p < k; p++) {
            transposed[p * n + r] = src[r * k + p];
          }
        }
        loaded[0] = epoch[0];
      }
      gemm.gemm(m, n, k, v[x], transposed, v[out]);
    };
  }

  /**
   * Direct-buffer copies of slots that matrix products read or write, one per slot (an alias uses
   * its root's), so a value read by several products, or produced by one and read by another, is
   * copied once per run. A copy of a constant slot (a scan's captured weights) is good until the
   * constants change; any other copy for the run it was made in.
   */
  private static final class Mirrors {
    private final Map<Integer, Integer> aliasOf;
    private final java.util.Set<Integer> constantSlots;
    final long[] epoch;
    private final long[] runs;
    private final Map<Integer, Mirror> bySlot = new HashMap<>();

    Mirrors(
        Map<Integer, Integer> aliasOf,
        java.util.Set<Integer> constantSlots,
        long[] epoch,
        long[] runs) {
      this.aliasOf = aliasOf;
      this.constantSlots = constantSlots;
      this.epoch = epoch;
      this.runs = runs;
    }

    boolean isConstant(int slot) {
      return constantSlots.contains(aliasOf.getOrDefault(slot, slot));
    }

    Mirror of(int slot, int size) {
      int root = aliasOf.getOrDefault(slot, slot);
      return bySlot.computeIfAbsent(
          root, r -> new Mirror(direct(size), constantSlots.contains(r) ? epoch : runs));
    }
  }

  private static final class Mirror {
    final FloatBuffer buffer;
    private final long[] version;
    private long stamp = Long.MIN_VALUE;

    Mirror(FloatBuffer buffer, long[] version) {
      this.buffer = buffer;
      this.version = version;
    }

    /** The buffer holding {@code value}, copied in unless already done this run. */
    FloatBuffer load(float[] value) {
      if (stamp != version[0]) {
        buffer.put(0, value);
        stamp = version[0];
      }
      return buffer;
    }

    /** Declares the buffer holds the slot's value for this run (a product wrote it). */
    void written() {
      stamp = version[0];
    }
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
    int outSize = IndexMaps.size(kept);
    int inSize = IndexMaps.size(inShape);
    if (outSize == 1) {
      return v -> {
        float[] x = v[in];
        // eight partial sums: independent chains the CPU can overlap
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < inSize; i += 8) {
          s0 += x[i];
          s1 += x[i + 1];
          s2 += x[i + 2];
          s3 += x[i + 3];
          s4 += x[i + 4];
          s5 += x[i + 5];
          s6 += x[i + 6];
          s7 += x[i + 7];
        }
        for (; i < inSize; i++) {
          s0 += x[i];
        }
        v[out][0] = (float) ((s0 + s1) + (s2 + s3) + ((s4 + s5) + (s6 + s7)));
      };
    }
    int lead = 0;
    while (lead < kept.length && kept[lead] == 1) {
      lead++;
    }
    boolean rowsOnly = true;
    for (int d = lead; d < kept.length; d++) {
      rowsOnly &= kept[d] == inShape[d];
    }
    if (rowsOnly) {
      // sum over the leading dimensions: rows of length outSize
      int rows = outSize == 0 ? 0 : inSize / outSize;
      return v -> {
        float[] x = v[in];
        float[] z = v[out];
        Arrays.fill(z, 0f);
        for (int r = 0; r < rows; r++) {
          int off = r * outSize;
          for (int j = 0; j < outSize; j++) {
            z[j] += x[off + j];
          }
        }
      };
    }
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

  /** Overwrites a float32, row-major, non-view array with {@code data}. */
  static void copyOut(float[] data, INDArray dst) {
    java.nio.FloatBuffer buf = dst.data().asNioFloat();
    buf.position((int) dst.offset());
    buf.put(data, 0, data.length);
  }

  /** Copies an array's elements (row-major) into {@code dst}. */
  public static void copyIn(INDArray src, float[] dst) {
    if (dst.length == 0) {
      return;
    }
    if (dst.length == 1) {
      dst[0] = src.getFloat(0);
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
