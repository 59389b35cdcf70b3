package dev.scanflow.graph;

/** The static type of a node output: its shape and element type. */
public record TensorSpec(Shape shape, DType dtype) {
  public static TensorSpec of(DType dtype, long... dims) {
    return new TensorSpec(Shape.of(dims), dtype);
  }

  @Override
  public String toString() {
    return dtype + shape.toString();
  }
}
