package dev.scanflow.graph;

import dev.scanflow.ops.Ops;

/**
 * A handle to one output of a node, with a small fluent facade over {@link Ops}: {@code
 * x.matmul(w).add(b).tanh()}.
 */
public record Tensor(Node node, int index) {

  public TensorSpec spec() {
    if (index < 0) {
      throw new IllegalStateException("node " + node.name() + " has no outputs");
    }
    return node.outputSpecs().get(index);
  }

  public Shape shape() {
    return spec().shape();
  }

  public DType dtype() {
    return spec().dtype();
  }

  public int rank() {
    return shape().rank();
  }

  public Graph graph() {
    return node.graph();
  }

  /** {@code node:index}, or just the node name for output 0. */
  public String name() {
    return index == 0 ? node.name() : node.name() + ":" + index;
  }

  @Override
  public String toString() {
    return name();
  }

  // ---- fluent facade ---------------------------------------------------------------------------

  public Tensor add(Tensor y) {
    return Ops.add(this, y);
  }

  public Tensor add(double y) {
    return Ops.add(this, Ops.scalarLike(this, y));
  }

  public Tensor sub(Tensor y) {
    return Ops.sub(this, y);
  }

  public Tensor sub(double y) {
    return Ops.sub(this, Ops.scalarLike(this, y));
  }

  public Tensor mul(Tensor y) {
    return Ops.mul(this, y);
  }

  public Tensor mul(double y) {
    return Ops.mul(this, Ops.scalarLike(this, y));
  }

  public Tensor div(Tensor y) {
    return Ops.div(this, y);
  }

  public Tensor div(double y) {
    return Ops.div(this, Ops.scalarLike(this, y));
  }

  public Tensor neg() {
    return Ops.neg(this);
  }

  public Tensor matmul(Tensor y) {
    return Ops.matmul(this, y);
  }

  public Tensor tanh() {
    return Ops.tanh(this);
  }

  public Tensor sigmoid() {
    return Ops.sigmoid(this);
  }

  public Tensor relu() {
    return Ops.relu(this);
  }

  public Tensor exp() {
    return Ops.exp(this);
  }

  public Tensor log() {
    return Ops.log(this);
  }

  public Tensor sqrt() {
    return Ops.sqrt(this);
  }

  public Tensor square() {
    return Ops.square(this);
  }

  public Tensor pow(double p) {
    return Ops.pow(this, Ops.scalarLike(this, p));
  }

  public Tensor reshape(long... shape) {
    return Ops.reshape(this, shape);
  }

  public Tensor transpose(int... perm) {
    return Ops.transpose(this, perm);
  }

  public Tensor sum(int... axes) {
    return Ops.reduceSum(this, false, axes);
  }

  public Tensor mean(int... axes) {
    return Ops.reduceMean(this, false, axes);
  }

  public Tensor cast(DType to) {
    return Ops.cast(this, to);
  }
}
