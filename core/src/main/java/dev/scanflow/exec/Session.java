package dev.scanflow.exec;

import dev.scanflow.graph.DType;
import dev.scanflow.graph.Frame;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import dev.scanflow.ops.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a graph: holds variable values and cached execution plans. Close it when done (use
 * try-with-resources). Not thread-safe: use one session per thread.
 *
 * <p>Within one {@link #run}, every read of a variable sees its value from the start of the run;
 * assignments take effect when the run completes (so a loss fetched together with a training op is
 * the loss before the update, as in the seed's training loop).
 */
public final class Session implements AutoCloseable, ExecutionContext {
  private final Graph graph;
  private final Map<Node, INDArray> variables = new HashMap<>();
  private final Map<PlanKey, Plan> plans = new HashMap<>();
  private Map<Node, INDArray> pending;

  /** Variable arrays no one outside the session can hold; compiled runs update them in place. */
  private final java.util.Set<INDArray> owned =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private boolean closed;

  private record PlanKey(Frame frame, List<Tensor> sources, List<Tensor> targets) {}

  private record CompiledKey(
      Frame frame,
      List<Tensor> sources,
      List<List<Long>> shapes,
      List<Tensor> targets,
      int constantSources) {}

  /** Compiled frames by shape signature; bounded, since every sequence length compiles anew. */
  private final Map<CompiledKey, java.util.Optional<CompiledFrame>> compiled =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<CompiledKey, java.util.Optional<CompiledFrame>> e) {
          if (size() > MAX_COMPILED) {
            // the pool may hold buffers only evicted frames used: start a new one, so memory stays
            // bounded by the frames kept (those still cached keep their buffers)
            topLevelBuffers.clear();
            return true;
          }
          return false;
        }
      };

  private static final int MAX_COMPILED = 256;

  /** Work buffers shared by the compiled top-level requests. */
  private final BufferPool topLevelBuffers = new BufferPool();

  /** The buffers shared by compiled top-level requests (for tests). */
  BufferPool sharedBuffers() {
    return topLevelBuffers;
  }

  public Session(Graph graph) {
    this.graph = graph;
  }

  public Graph graph() {
    return graph;
  }

  /** Gives every variable of the graph its initial value (drawn from the graph's seed). */
  public Session initializeVariables() {
    return initialize(graph.variables());
  }

  /** Gives the listed variables their initial values. */
  public Session initialize(List<Tensor> vars) {
    ensureOpen();
    for (Tensor v : vars) {
      Variable op = variableOp(v);
      long[] shape = op.spec().shape().dims();
      SplittableRandom rng =
          new SplittableRandom(graph.seed() * 0x9E3779B97F4A7C15L + op.fullName().hashCode());
      INDArray value;
      if (op.initializer() instanceof Initializer.CopyOf copy) {
        value = readVariable(copy.source().node()).dup();
      } else {
        value = op.initializer().create(shape, op.spec().dtype(), rng);
      }
      owned.remove(variables.put(v.node(), value));
    }
    return this;
  }

  /** Whether a variable has a value in this session. */
  public boolean isInitialized(Tensor variable) {
    variableOp(variable);
    return variables.containsKey(variable.node());
  }

  /** The current value of a variable (a copy). */
  public INDArray valueOf(Tensor variable) {
    variableOp(variable);
    return readVariable(variable.node()).dup();
  }

  /** Sets a variable's value (copied); the shape and type must match. */
  public void setValue(Tensor variable, INDArray value) {
    ensureOpen();
    Variable op = variableOp(variable);
    checkFits(op.fullName(), op.spec(), value, "variable");
    owned.remove(variables.put(variable.node(), value.dup()));
  }

  private Variable variableOp(Tensor v) {
    if (v.graph() != graph) {
      throw new GraphException("variable " + v + " belongs to another graph");
    }
    if (!(v.node().op() instanceof Variable op)) {
      throw new GraphException(v + " is not a variable");
    }
    return op;
  }

  // ---- running ---------------------------------------------------------------------------------

  /** Computes {@code fetches} given {@code feeds}; returns one array per fetch. */
  public List<INDArray> run(List<Tensor> fetches, Map<Tensor, INDArray> feeds) {
    ensureOpen();
    List<Tensor> sources = new ArrayList<>(feeds.keySet());
    sources.sort(
        java.util.Comparator.comparingInt((Tensor t) -> t.node().id())
            .thenComparingInt(Tensor::index));
    INDArray[] sourceValues = new INDArray[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      Tensor t = sources.get(i);
      checkOwned(t, "feed");
      sourceValues[i] = checkFeed(t, feeds.get(t));
    }
    for (Tensor f : fetches) {
      checkOwned(f, "fetch");
    }
    if (Compilation.isEnabled()) {
      List<INDArray> fast = runCompiled(sources, sourceValues, fetches);
      if (fast != null) {
        return fast;
      }
    }
    Plan plan = plan(graph.root(), sources, fetches);
    // op-by-op runs may hand variable arrays (or views of them) to the caller: none stays ours
    owned.clear();
    pending = new LinkedHashMap<>();
    try {
      INDArray[] out = plan.run(this, sourceValues);
      variables.putAll(pending);
      return Arrays.asList(out);
    } finally {
      pending = null;
    }
  }

  private static final double EXACT_INTEGERS = 1 << 24;

  /**
   * Runs the whole request as one compiled frame when every value is float32, boolean or an integer
   * a float represents exactly; returns {@code null} to use the generic plan instead.
   */
  private List<INDArray> runCompiled(
      List<Tensor> sources, INDArray[] sourceValues, List<Tensor> fetches) {
    long[][] shapes = new long[sources.size()][];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = sourceValues[i].shape();
      if (!fitsFloat(sourceValues[i])) {
        return null;
      }
    }
    CompiledFrame f = compiled(graph.root(), sources, shapes, fetches, 0);
    if (f == null) {
      return null;
    }
    List<Node> vars = f.variables();
    INDArray[] varValues = new INDArray[vars.size()];
    for (int i = 0; i < vars.size(); i++) {
      varValues[i] = readVariable(vars.get(i));
      if (!fitsFloat(varValues[i])) {
        return null;
      }
    }
    for (int i = 0; i < shapes.length; i++) {
      CompiledFrame.copyIn(sourceValues[i], f.source(i));
    }
    for (int i = 0; i < varValues.length; i++) {
      CompiledFrame.copyIn(varValues[i], f.variable(i));
    }
    f.run();
    List<INDArray> out = new ArrayList<>(fetches.size());
    for (int i = 0; i < fetches.size(); i++) {
      Tensor t = fetches.get(i);
      out.add(
          t.node().op() instanceof dev.scanflow.ops.Group
              ? dev.scanflow.ops.Group.DONE
              : typed(CompiledFrame.toArray(f.target(i), f.targetShape(i)), t.dtype()));
    }
    List<Node> assigned = f.assigned();
    for (int i = 0; i < assigned.size(); i++) {
      Node v = assigned.get(i);
      Variable op = (Variable) v.op();
      INDArray current = variables.get(v);
      if (current != null && owned.contains(current) && current.dataType() == DataType.FLOAT) {
        // an array only this session holds: overwrite it instead of allocating a new one per run
        CompiledFrame.copyOut(f.assignedValue(i), current);
      } else if (current != null && owned.contains(current) && current.length() == 1) {
        current.putScalar(0, (double) f.assignedValue(i)[0]); // an integer scalar (global step)
      } else {
        INDArray fresh =
            typed(
                CompiledFrame.toArray(f.assignedValue(i), op.spec().shape().dims()),
                op.spec().dtype());
        owned.remove(current);
        owned.add(fresh);
        variables.put(v, fresh);
      }
    }
    return out;
  }

  private static INDArray typed(INDArray floats, DType type) {
    return type == DType.FLOAT32 ? floats : floats.castTo(type.nd4j());
  }

  /** Whether a float holds every value of {@code a} exactly (integers up to 2^24). */
  private static boolean fitsFloat(INDArray a) {
    DType t = DType.of(a.dataType());
    if (t == DType.FLOAT32 || t == DType.BOOL) {
      return true;
    }
    if (t == DType.INT32 || t == DType.INT64) {
      if (a.length() == 1) {
        return Math.abs(a.getDouble(0)) < EXACT_INTEGERS;
      }
      return a.isEmpty() || a.amaxNumber().doubleValue() < EXACT_INTEGERS;
    }
    return false;
  }

  /** Computes one tensor. */
  public INDArray run(Tensor fetch, Map<Tensor, INDArray> feeds) {
    return run(List.of(fetch), feeds).get(0);
  }

  public INDArray run(Tensor fetch) {
    return run(fetch, Map.of());
  }

  /** A builder: {@code session.runner().feed(x, a).fetch(y).run()}. */
  public Runner runner() {
    return new Runner(this);
  }

  private void checkOwned(Tensor t, String what) {
    if (t.graph() != graph) {
      throw new GraphException(what + " " + t + " belongs to another graph than this session's");
    }
    if (!t.node().frame().isRoot()) {
      throw new GraphException(
          what
              + " "
              + t
              + " lies inside scan body "
              + t.node().frame().name()
              + "; only top-level tensors can be fed or fetched");
    }
    if (t.index() < 0) {
      throw new GraphException(what + " " + t + " has no value");
    }
  }

  private static INDArray checkFeed(Tensor t, INDArray value) {
    if (value == null) {
      throw new IllegalArgumentException("feed for " + t + " is null");
    }
    checkFits(t.name(), t.spec(), value, "feed for placeholder");
    return value;
  }

  private static void checkFits(String name, TensorSpec spec, INDArray value, String what) {
    DType actual;
    try {
      actual = DType.of(value.dataType());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " " + name + ": " + e.getMessage());
    }
    if (actual != spec.dtype() || !spec.shape().accepts(value.shape())) {
      throw new IllegalArgumentException(
          what
              + " "
              + name
              + ": expected "
              + spec.dtype()
              + spec.shape()
              + ", got "
              + actual
              + Shape.format(value.shape()));
    }
  }

  @Override
  public Plan plan(Frame frame, List<Tensor> sources, List<Tensor> targets) {
    PlanKey key = new PlanKey(frame, List.copyOf(sources), List.copyOf(targets));
    Plan p = plans.get(key);
    if (p == null) {
      p = Plan.compile(frame, sources, targets);
      plans.put(key, p);
    }
    return p;
  }

  @Override
  public CompiledFrame compiled(
      Frame frame,
      List<Tensor> sources,
      long[][] sourceShapes,
      List<Tensor> targets,
      int constantSources) {
    List<List<Long>> shapes = new ArrayList<>();
    for (long[] s : sourceShapes) {
      shapes.add(Arrays.stream(s).boxed().toList());
    }
    CompiledKey key =
        new CompiledKey(frame, List.copyOf(sources), shapes, List.copyOf(targets), constantSources);
    java.util.Optional<CompiledFrame> known = compiled.get(key);
    if (known == null) {
      // not computeIfAbsent: compiling a frame compiles the scan bodies in it through this method
      known =
          java.util.Optional.ofNullable(
              CompiledFrame.tryCompile(
                  frame,
                  sources,
                  sourceShapes,
                  targets,
                  constantSources,
                  this::compiled,
                  // top-level requests run one at a time (see BufferPool); scan bodies do not
                  frame.isRoot() ? topLevelBuffers.allocator() : BufferPool.Allocator.PRIVATE));
      compiled.put(key, known);
    }
    return known.orElse(null);
  }

  /** The number of cached plans (for tests of plan caching). */
  public int cachedPlanCount() {
    return plans.size();
  }

  @Override
  public INDArray readVariable(Node variable) {
    INDArray v = variables.get(variable);
    if (v == null) {
      throw new IllegalStateException(
          "variable "
              + variable.name()
              + " is not initialized; call Session.initializeVariables() or restore a checkpoint");
    }
    return v;
  }

  @Override
  public void assign(Node variable, INDArray value) {
    if (pending == null) {
      throw new IllegalStateException("assign outside a run");
    }
    if (pending.put(variable, value) != null) {
      throw new IllegalStateException("variable " + variable.name() + " assigned twice in one run");
    }
  }

  /** Variables with values, by node (used by checkpoints). */
  public Set<Node> initializedVariables() {
    return java.util.Collections.unmodifiableSet(variables.keySet());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("session is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    variables.clear();
    owned.clear();
    plans.clear();
    compiled.clear();
  }
}
