package dev.scanflow.autodiff;

import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import java.util.List;

/**
 * What a gradient rule sees: the node being differentiated and the upstream gradient of each of its
 * outputs ({@code null} where no gradient flows into that output).
 */
public record GradientContext(Node node, List<Tensor> upstreams) {

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
    return u != null ? u : Ops.zerosLike(node.output(i));
  }

  public Tensor input(int i) {
    return node.input(i);
  }

  public Tensor output() {
    return node.output(0);
  }

  public Graph graph() {
    return node.graph();
  }
}
