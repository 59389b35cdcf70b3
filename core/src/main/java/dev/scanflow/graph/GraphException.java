package dev.scanflow.graph;

/** An error in how a graph is built: a shape or type mismatch, a bad name, a misused scope. */
public class GraphException extends IllegalArgumentException {
  public GraphException(String message) {
    super(message);
  }

  public GraphException(String message, Throwable cause) {
    super(message, cause);
  }
}
