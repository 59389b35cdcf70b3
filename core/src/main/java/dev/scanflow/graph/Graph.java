package dev.scanflow.graph;

import dev.scanflow.ops.Constant;
import dev.scanflow.ops.Placeholder;
import dev.scanflow.ops.Variable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dataflow graph under construction: placeholders, constants, variables and the ops between them,
 * organised by name scopes and variable scopes. Nodes are immutable; a {@link
 * dev.scanflow.exec.Session} runs them.
 */
public final class Graph {
  private final Frame root = new Frame(this, null, "");
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Deque<String> nameScopes = new ArrayDeque<>();
  private final Deque<VariableScope> variableScopes = new ArrayDeque<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> nameCounters = new HashMap<>();
  private final Map<String, Tensor> variables = new LinkedHashMap<>();
  private final List<Tensor> trainable = new ArrayList<>();
  private int nextId;
  private long seed = 0;

  public Graph() {
    frames.push(root);
  }

  /** The top-level frame. */
  public Frame root() {
    return root;
  }

  /** The frame nodes are currently added to (a scan body while its lambda is traced). */
  public Frame currentFrame() {
    return frames.peek();
  }

  /** Sets the seed from which variable initial values are drawn (default 0). */
  public Graph setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  public long seed() {
    return seed;
  }

  // ---- node creation -------------------------------------------------------------------------

  /**
   * Adds a node applying {@code op} to {@code inputs} in the current frame, inferring its output
   * types. {@code name} is the node's base name (made unique and prefixed by the name scope).
   */
  public Node addNode(Op op, String name, List<Tensor> inputs) {
    return addNodeIn(currentFrame(), op, name, inputs).node();
  }

  /** Adds a single-output node and returns its output. */
  public Tensor add(Op op, String name, Tensor... inputs) {
    return addNode(op, name, List.of(inputs)).output();
  }

  Tensor addNodeIn(Frame frame, Op op, String name, List<Tensor> inputs) {
    if (op.isStateful() && !frame.isRoot()) {
      throw new GraphException(
          op.name()
              + " cannot be used inside scan body '"
              + frame.name()
              + "'; assign after the scan");
    }
    List<Tensor> resolved = new ArrayList<>(inputs.size());
    for (Tensor t : inputs) {
      if (t == null) {
        throw new GraphException(op.name() + ": input is null");
      }
      if (t.node().frame().isSealed() && t.node().frame() != frame) {
        throw new GraphException(
            "tensor "
                + t
                + " belongs to scan body '"
                + t.node().frame().name()
                + "' and cannot be used outside it; return it from the body instead");
      }
      resolved.add(frame.resolve(t));
    }
    String full = uniqueName(qualify(name == null ? op.name() : name));
    List<TensorSpec> specs = new ArrayList<>(resolved.size());
    for (Tensor t : resolved) {
      specs.add(t.spec());
    }
    List<TensorSpec> out;
    try {
      out = op.inferShape(specs);
    } catch (IllegalArgumentException e) {
      names.remove(full);
      throw new GraphException(e.getMessage() + " (node " + full + ")", e);
    }
    Node node = new Node(nextId++, full, op, resolved, out, frame);
    frame.add(node);
    return out.isEmpty() ? new Tensor(node, -1) : new Tensor(node, 0);
  }

  private String qualify(String name) {
    String scope = nameScopes.peek();
    return scope == null || scope.isEmpty() ? name : scope + "/" + name;
  }

  private String uniqueName(String base) {
    if (names.add(base)) {
      return base;
    }
    int n = nameCounters.getOrDefault(base, 0);
    String candidate;
    do {
      n++;
      candidate = base + "_" + n;
    } while (!names.add(candidate));
    nameCounters.put(base, n);
    return candidate;
  }

  // ---- leaves ----------------------------------------------------------------------------------

  /** A placeholder fed at run time; {@code -1} marks a dimension of any size. */
  public Tensor placeholder(String name, DType dtype, long... shape) {
    inRootOnly("placeholder " + name);
    return add(new Placeholder(new TensorSpec(Shape.of(shape), dtype)), name);
  }

  /** A constant holding a copy of {@code value}. */
  public Tensor constant(INDArray value) {
    return add(new Constant(value.dup()), "const");
  }

  public Tensor constant(String name, INDArray value) {
    return add(new Constant(value.dup()), name);
  }

  /** A float32 scalar constant. */
  public Tensor constant(float value) {
    return constant(Nd4j.scalar(value));
  }

  /** A scalar constant of the given type. */
  public Tensor scalar(double value, DType dtype) {
    return constant(Nd4j.scalar(value).castTo(dtype.nd4j()));
  }

  /** A float32 constant vector. */
  public Tensor constant(float... values) {
    return constant(Nd4j.createFromArray(values));
  }

  /**
   * Creates a variable named in the current variable scope. Prefer {@link #getVariable} for
   * TensorFlow's sharing rules; this always creates a new one (an error if the name is taken).
   */
  public Tensor variable(
      String name, Initializer init, DType dtype, boolean trainable, long... shape) {
    return createVariable(scopedVariableName(name), Shape.of(shape), dtype, init, trainable);
  }

  /** A trainable float32 variable holding a copy of {@code initial}. */
  public Tensor variable(String name, INDArray initial) {
    return variable(
        name, Initializer.fromArray(initial), DType.of(initial.dataType()), true, initial.shape());
  }

  /**
   * TensorFlow's {@code get_variable}: returns the variable with this name in the current variable
   * scope when the scope reuses variables, creates it otherwise. Creating a name that exists
   * without reuse, or reusing one that does not exist, is an error. With a {@code null} initializer
   * the scope's initializer applies, else Glorot-uniform.
   */
  public Tensor getVariable(String name, long[] shape, Initializer init) {
    return getVariable(name, shape, DType.FLOAT32, init);
  }

  public Tensor getVariable(String name, long[] shape, DType dtype, Initializer init) {
    String full = scopedVariableName(name);
    Shape s = Shape.of(shape);
    VariableScope scope = variableScopes.peek();
    boolean reuse = scope != null && scope.reuse();
    Tensor existing = variables.get(full);
    if (existing != null) {
      if (!reuse) {
        throw new GraphException(
            "variable "
                + full
                + " already exists; open its variable scope with reuse=true to share it");
      }
      if (!existing.shape().equals(s) || existing.dtype() != dtype) {
        throw new GraphException(
            "variable "
                + full
                + " exists as "
                + existing.spec()
                + " but was requested as "
                + new TensorSpec(s, dtype));
      }
      return existing;
    }
    if (reuse) {
      throw new GraphException(
          "variable " + full + " does not exist; it cannot be reused (scope has reuse=true)");
    }
    Initializer chosen = init != null ? init : scope != null ? scope.initializer() : null;
    if (chosen == null) {
      chosen = Initializer.glorotUniform();
    }
    return createVariable(full, s, dtype, chosen, true);
  }

  /**
   * Creates a variable with an absolute name, ignoring the current scopes (for optimiser slots,
   * moving averages and the global step). An error if the name is taken.
   */
  public Tensor newVariable(
      String fullName, Shape shape, DType dtype, Initializer init, boolean isTrainable) {
    return createVariable(fullName, shape, dtype, init, isTrainable);
  }

  private Tensor createVariable(
      String full, Shape shape, DType dtype, Initializer init, boolean isTrainable) {
    if (!shape.isFullyKnown()) {
      throw new GraphException("variable " + full + " needs a fully known shape, got " + shape);
    }
    if (variables.containsKey(full) || names.contains(full)) {
      throw new GraphException("a node named " + full + " already exists");
    }
    frames.push(root);
    Deque<String> saved = new ArrayDeque<>(nameScopes);
    nameScopes.clear();
    try {
      Tensor v = add(new Variable(full, new TensorSpec(shape, dtype), init, isTrainable), full);
      variables.put(full, v);
      if (isTrainable) {
        trainable.add(v);
      }
      return v;
    } finally {
      nameScopes.addAll(saved);
      frames.pop();
    }
  }

  private String scopedVariableName(String name) {
    VariableScope scope = variableScopes.peek();
    return scope == null || scope.name().isEmpty() ? name : scope.name() + "/" + name;
  }

  private void inRootOnly(String what) {
    if (currentFrame() != root) {
      throw new GraphException(what + " cannot be created inside a scan body");
    }
  }

  /** Every variable in creation order. */
  public List<Tensor> variables() {
    return List.copyOf(variables.values());
  }

  /** The trainable-variables collection, in creation order. */
  public List<Tensor> trainableVariables() {
    return Collections.unmodifiableList(trainable);
  }

  /** The variable with this full name, or {@code null}. */
  public Tensor variableNamed(String fullName) {
    return variables.get(fullName);
  }

  // ---- scopes ----------------------------------------------------------------------------------

  /** Opens a name scope: node names created inside get the prefix {@code name/}. */
  public Scope nameScope(String name) {
    String parent = nameScopes.peek();
    String full = parent == null || parent.isEmpty() ? name : parent + "/" + name;
    nameScopes.push(full);
    return nameScopes::pop;
  }

  /** Opens a variable scope (and the matching name scope) without reuse. */
  public Scope variableScope(String name) {
    return variableScope(name, null, false);
  }

  /**
   * Opens a variable scope. {@code initializer} (may be null: inherit) is the default for variables
   * created inside; {@code reuse} makes {@link #getVariable} return existing variables. Reuse is
   * inherited by nested scopes.
   */
  public Scope variableScope(String name, Initializer initializer, boolean reuse) {
    VariableScope parent = variableScopes.peek();
    String full = parent == null || parent.name().isEmpty() ? name : parent.name() + "/" + name;
    Initializer init =
        initializer != null ? initializer : parent == null ? null : parent.initializer();
    boolean r = reuse || (parent != null && parent.reuse());
    variableScopes.push(new VariableScope(full, init, r));
    Scope names = nameScope(name);
    return () -> {
      names.close();
      variableScopes.pop();
    };
  }

  /** The current variable scope's full name ("" at top level). */
  public String currentVariableScope() {
    VariableScope s = variableScopes.peek();
    return s == null ? "" : s.name();
  }

  /** A scope closed by try-with-resources. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private record VariableScope(String name, Initializer initializer, boolean reuse) {}

  // ---- bodies ----------------------------------------------------------------------------------

  /**
   * Traces {@code body} into a new frame nested in the current one and seals it. Used by control
   * flow ops such as scan; the returned value is whatever the body built.
   */
  public <T> Traced<T> trace(String name, java.util.function.Function<Frame, T> body) {
    Frame frame = new Frame(this, currentFrame(), qualify(name));
    frames.push(frame);
    Scope scope = nameScope(name);
    try {
      T result = body.apply(frame);
      return new Traced<>(frame, result);
    } finally {
      scope.close();
      frames.pop();
      frame.seal();
    }
  }

  /** A body frame and what its tracing returned. */
  public record Traced<T>(Frame frame, T result) {}

  /** Runs {@code action} with nodes added to {@code frame} (which must be open). */
  public <T> T buildIn(Frame frame, Supplier<T> action) {
    if (frame.graph() != this) {
      throw new GraphException("frame belongs to another graph");
    }
    frames.push(frame);
    try {
      return action.get();
    } finally {
      frames.pop();
    }
  }

  /** Adds {@code node}'s op again with other inputs, in the current frame. */
  public Node copyWithInputs(Node node, List<Tensor> inputs) {
    String base = node.name();
    int slash = base.lastIndexOf('/');
    return addNode(node.op(), slash >= 0 ? base.substring(slash + 1) : base, inputs);
  }

  // ---- printing --------------------------------------------------------------------------------

  /** One line per node: {@code name = op[attrs](inputs) -> types}, bodies indented. */
  @Override
  public String toString() {
    return GraphPrinter.print(root);
  }
}
