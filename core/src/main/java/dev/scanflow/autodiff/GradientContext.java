package dev.scanflow.autodiff;

import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.List;
import java.util.Map;

/**
 * What a gradient rule sees: the node being differentiated and the upstream gradient of each of its
 * outputs ({@code null} where no gradient flows into that output). Rules read the node's forward
 * values through {@link #input(int)} and {@link #output()}: where the caller knows another tensor
 * holding the same value ({@code known}), those return it, so the node computing the original need
 * not run again (the scan gradient uses this for the carries a step returns, which it has saved).
 */
public record GradientContext(Node node, List<Tensor> upstreams, Map<Tensor, Tensor> known) {

  public GradientContext(Node node, List<Tensor> upstreams) {
    this(node, upstreams, Map.of());
  }

  /** The upstream gradient of output 0 (never null for a one-output node). */
  public Tensor upstream() {
    return upstreams.get(0);
  }

  /** The upstream gradient of output {@code i}, or {@code null}. */
  public Tensor upstream(int i) {
    return upstreams.get(i);
  }

  /** The upstream gradient of output {@code i}, or zeros shaped like that output. */
  public Tensor upstreamOrZeros(int i) {
    Tensor u = upstreams.get(i);
    return u != null ? u : Ops.zerosLike(value(node.output(i)));
  }

  /** The forward value of input {@code i} (or a known tensor equal to it). */
  public Tensor input(int i) {
    return value(node.input(i));
  }

  /** The forward value of output 0 (or a known tensor equal to it). */
  public Tensor output() {
    return value(node.output(0));
  }

  private Tensor value(Tensor t) {
    return known.getOrDefault(t, t);
  }

  public Graph graph() {
    return node.graph();
  }
}
