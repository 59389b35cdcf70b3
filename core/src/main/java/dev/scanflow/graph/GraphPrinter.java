package dev.scanflow.graph;

import dev.scanflow.control.Scan;
import java.util.stream.Collectors;

/** Prints a frame as text, one line per node; scan bodies follow their scan, indented. */
final class GraphPrinter {
  private GraphPrinter() {}

  static String print(Frame frame) {
    StringBuilder sb = new StringBuilder();
    print(frame, "", sb);
    return sb.toString();
  }

  private static void print(Frame frame, String indent, StringBuilder sb) {
    for (Node n : frame.nodes()) {
      sb.append(indent).append(n.name()).append(" = ").append(n.op().name());
      String attrs = n.op().describeAttributes();
      if (!attrs.isEmpty()) {
        sb.append('[').append(attrs).append(']');
      }
      sb.append('(')
          .append(n.inputs().stream().map(Tensor::toString).collect(Collectors.joining(", ")))
          .append(") -> ")
          .append(
              n.outputSpecs().stream().map(TensorSpec::toString).collect(Collectors.joining(", ")))
          .append('\n');
      if (n.op() instanceof Scan scan) {
        print(scan.body().frame(), indent + "    ", sb);
      }
    }
  }
}
