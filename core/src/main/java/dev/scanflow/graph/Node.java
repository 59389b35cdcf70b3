package dev.scanflow.graph;

import java.util.List;

/** An immutable node of a graph: an op applied to input tensors, with typed outputs. */
public final class Node {
  private final int id;
  private final String name;
  private final Op op;
  private final List<Tensor> inputs;
  private final List<TensorSpec> outputs;
  private final Frame frame;

  Node(int id, String name, Op op, List<Tensor> inputs, List<TensorSpec> outputs, Frame frame) {
    this.id = id;
    this.name = name;
    this.op = op;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.frame = frame;
  }

  /** A number unique within the graph, increasing in creation order. */
  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Op op() {
    return op;
  }

  public List<Tensor> inputs() {
    return inputs;
  }

  public Tensor input(int i) {
    return inputs.get(i);
  }

  public List<TensorSpec> outputSpecs() {
    return outputs;
  }

  public int outputCount() {
    return outputs.size();
  }

  /** Output {@code i} as a tensor handle. */
  public Tensor output(int i) {
    return new Tensor(this, i);
  }

  /** The single output of a one-output node. */
  public Tensor output() {
    if (outputs.size() != 1) {
      throw new IllegalStateException("node " + name + " has " + outputs.size() + " outputs");
    }
    return new Tensor(this, 0);
  }

  /** The frame (the graph's top level, or a scan body) this node belongs to. */
  public Frame frame() {
    return frame;
  }

  public Graph graph() {
    return frame.graph();
  }

  @Override
  public String toString() {
    return name;
  }
}
