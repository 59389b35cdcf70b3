package dev.scanflow.exec;

/** A failure while running a graph, naming the node that failed. */
public class ExecutionException extends RuntimeException {
  public ExecutionException(String message) {
    super(message);
  }

  public ExecutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
