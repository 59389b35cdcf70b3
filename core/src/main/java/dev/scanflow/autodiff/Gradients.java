package dev.scanflow.autodiff;

import dev.scanflow.graph.Frame;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Broadcasting;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation that adds gradient nodes to the graph, like {@code tf.gradients}.
 * See the package note "Driver".
 */
public final class Gradients {
  private Gradients() {}

  /** What to return for a tensor on which {@code y} does not depend. */
  public enum Unconnected {
    /** Throw an error naming the tensors (the default). */
    ERROR,
    /** Return {@code null} for them. */
    NONE,
    /** Return zeros shaped like them. */
    ZERO
  }

  /** {@code d sum(y) / d x} for each {@code x}; an error if some {@code x} does not affect y. */
  public static List<Tensor> of(Tensor y, List<Tensor> xs) {
    return of(List.of(y), null, xs, Unconnected.ERROR);
  }

  public static List<Tensor> of(Tensor y, List<Tensor> xs, Unconnected unconnected) {
    return of(List.of(y), null, xs, unconnected);
  }

  /**
   * The gradient of {@code sum_i sum(ys[i] * seeds[i])} with respect to each {@code x}. {@code
   * seeds} (or any entry of it) may be {@code null}, meaning ones; ys must share one frame.
   */
  public static List<Tensor> of(
      List<Tensor> ys, List<Tensor> seeds, List<Tensor> xs, Unconnected unconnected) {
    return of(ys, seeds, xs, unconnected, Map.of());
  }

  /**
   * As {@link #of(List, List, List, Unconnected)}, where each key of {@code known} is a forward
   * tensor whose value the mapped tensor already holds: gradient rules read the latter (see {@link
   * GradientContext}). The caller vouches that the values are equal; gradients still flow through
   * the original nodes.
   */
  public static List<Tensor> of(
      List<Tensor> ys,
      List<Tensor> seeds,
      List<Tensor> xs,
      Unconnected unconnected,
      Map<Tensor, Tensor> known) {
    if (ys.isEmpty()) {
      throw new IllegalArgumentException("gradients: no tensor to differentiate");
    }
    Frame frame = ys.get(0).node().frame();
    for (Tensor y : ys) {
      if (y.node().frame() != frame) {
        throw new GraphException("gradients: " + y + " lies in another frame than " + ys.get(0));
      }
      if (!y.dtype().isFloating()) {
        throw new GraphException("gradients: cannot differentiate " + y + " of type " + y.dtype());
      }
    }
    if (frame.isSealed()) {
      throw new GraphException(
          "gradients: "
              + ys.get(0)
              + " belongs to a finished scan body; differentiate the scan instead");
    }
    Graph graph = frame.graph();
    return graph.buildIn(
        frame,
        () -> {
          try (Graph.Scope s = graph.nameScope("gradients")) {
            return run(frame, ys, seeds, xs, unconnected, known);
          }
        });
  }

  private static List<Tensor> run(
      Frame frame,
      List<Tensor> ys,
      List<Tensor> seeds,
      List<Tensor> xs,
      Unconnected unconnected,
      Map<Tensor, Tensor> known) {
    List<Tensor> local = new ArrayList<>();
    for (Tensor x : xs) {
      local.add(localHandle(frame, x));
    }
    // nodes that depend on some x (forward reachability, in id order = topological order)
    List<Node> nodes = frame.nodes();
    int base = nodes.isEmpty() ? 0 : nodes.get(0).id();
    BitSet fromX = new BitSet();
    for (Tensor x : local) {
      if (x != null) {
        fromX.set(x.node().id() - base);
      }
    }
    for (Node n : nodes) {
      for (Tensor in : n.inputs()) {
        if (fromX.get(in.node().id() - base)) {
          fromX.set(n.id() - base);
          break;
        }
      }
    }
    Map<Tensor, List<Tensor>> contributions = new HashMap<>();
    int top = -1;
    for (int i = 0; i < ys.size(); i++) {
      Tensor y = ys.get(i);
      Tensor seed = seeds == null ? null : seeds.get(i);
      contributions
          .computeIfAbsent(y, k -> new ArrayList<>())
          .add(seed != null ? seed : Ops.onesLike(y));
      top = Math.max(top, y.node().id());
    }
    for (int idx = nodes.size() - 1; idx >= 0; idx--) {
      Node n = nodes.get(idx);
      if (n.id() > top || !fromX.get(n.id() - base) || n.inputs().isEmpty()) {
        continue;
      }
      List<Tensor> upstream = new ArrayList<>(n.outputCount());
      boolean any = false;
      for (int o = 0; o < n.outputCount(); o++) {
        Tensor u = sum(contributions.get(n.output(o)));
        upstream.add(u);
        any |= u != null;
      }
      if (!any) {
        continue;
      }
      List<Tensor> grads = n.op().gradient(new GradientContext(n, upstream, known));
      if (grads == null || grads.size() != n.inputs().size()) {
        throw new IllegalStateException(
            "gradient rule of "
                + n.op().name()
                + " returned "
                + (grads == null ? "null" : grads.size() + " gradients")
                + " for "
                + n.inputs().size()
                + " inputs (node "
                + n.name()
                + ")");
      }
      for (int i = 0; i < grads.size(); i++) {
        Tensor g = grads.get(i);
        Tensor in = n.input(i);
        if (g == null || !in.dtype().isFloating() || !fromX.get(in.node().id() - base)) {
          continue;
        }
        if (n.op() instanceof Broadcasting && !sameKnownShape(g, in)) {
          g = Ops.sumToShapeOf(g, known.getOrDefault(in, in));
        }
        contributions.computeIfAbsent(in, k -> new ArrayList<>()).add(g);
      }
    }
    List<Tensor> result = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      Tensor x = local.get(i);
      Tensor g = x == null ? null : sum(contributions.get(x));
      if (g == null) {
        switch (unconnected) {
          case ERROR -> missing.add(xs.get(i).name());
          case ZERO -> g = Ops.zerosLike(x != null ? x : xs.get(i));
          case NONE -> {}
        }
      }
      result.add(g);
    }
    if (!missing.isEmpty()) {
      throw new GraphException(
          "gradients: "
              + ys.get(0)
              + " does not depend on "
              + String.join(", ", missing)
              + " (no path through differentiable ops); pass Unconnected.ZERO or NONE to allow this");
    }
    return result;
  }

  /** {@code x} as seen in {@code frame}: itself, its capture node, or null if not visible. */
  private static Tensor localHandle(Frame frame, Tensor x) {
    Frame owner = x.node().frame();
    if (owner == frame) {
      return x;
    }
    if (!frame.isWithin(owner)) {
      return null;
    }
    List<Frame> chain = new ArrayList<>();
    for (Frame f = frame; f != owner; f = f.parent()) {
      chain.add(0, f);
    }
    Tensor t = x;
    for (Frame f : chain) {
      t = f.captures().get(t);
      if (t == null) {
        return null;
      }
    }
    return t;
  }

  private static boolean sameKnownShape(Tensor a, Tensor b) {
    return a.shape().isFullyKnown() && a.shape().equals(b.shape());
  }

  private static Tensor sum(List<Tensor> parts) {
    if (parts == null || parts.isEmpty()) {
      return null;
    }
    Tensor s = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      s = Ops.add(s, parts.get(i));
    }
    return s;
  }
}
