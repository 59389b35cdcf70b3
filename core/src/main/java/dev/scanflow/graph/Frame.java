package dev.scanflow.graph;

import dev.scanflow.ops.Capture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A level of graph construction: the graph's top level, or the body of a scan traced from a lambda.
 * A body refers to tensors of enclosing frames through capture nodes: the first use of an outer
 * tensor inside a body adds a {@link Capture} node there, and the scan built from the body takes
 * the outer tensor as an explicit input.
 */
public final class Frame {
  private final Graph graph;
  private final Frame parent;
  private final String name;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<Tensor, Tensor> captures = new LinkedHashMap<>();
  private boolean sealed;

  Frame(Graph graph, Frame parent, String name) {
    this.graph = graph;
    this.parent = parent;
    this.name = name;
  }

  public Graph graph() {
    return graph;
  }

  /** The enclosing frame, or {@code null} for the top level. */
  public Frame parent() {
    return parent;
  }

  public String name() {
    return name;
  }

  public boolean isRoot() {
    return parent == null;
  }

  /** The nodes of this frame in creation (hence topological) order. */
  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** Outer tensors used in this frame, in first-use order, mapped to their capture nodes here. */
  public Map<Tensor, Tensor> captures() {
    return Collections.unmodifiableMap(captures);
  }

  /** Whether {@code other} is this frame or encloses it. */
  public boolean isWithin(Frame other) {
    for (Frame f = this; f != null; f = f.parent) {
      if (f == other) {
        return true;
      }
    }
    return false;
  }

  void add(Node node) {
    if (sealed) {
      throw new IllegalStateException("scan body " + name + " is finished; no node can be added");
    }
    nodes.add(node);
  }

  /** Marks a body as complete: its tensors can no longer be used to build nodes. */
  public void seal() {
    sealed = true;
  }

  public boolean isSealed() {
    return sealed;
  }

  /** The handle to use for {@code t} inside this frame, capturing it if it comes from outside. */
  Tensor resolve(Tensor t) {
    Frame owner = t.node().frame();
    if (owner.graph != graph) {
      throw new GraphException(
          "tensor " + t + " belongs to another graph than the one being built");
    }
    if (owner == this) {
      return t;
    }
    if (parent == null || !isWithin(owner)) {
      throw new GraphException(
          "tensor "
              + t
              + " belongs to scan body '"
              + owner.name
              + "' and cannot be used outside it; return it from the body instead");
    }
    Tensor outer = parent.resolve(t);
    Tensor inner = captures.get(outer);
    if (inner == null) {
      inner =
          graph.addNodeIn(
              this,
              new Capture(outer.spec()),
              "capture/" + outer.node().name().replace('/', '_'),
              List.of());
      captures.put(outer, inner);
    }
    return inner;
  }
}
