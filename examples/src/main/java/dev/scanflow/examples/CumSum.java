package dev.scanflow.examples;

import dev.scanflow.control.Scans;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.spi.Backends;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;

/**
 * The seed's first example: a cumulative sum written with scan. Prints {@code [1.0, 3.0, 5.0,
 * 7.0]}.
 */
@Command(
    name = "cumsum",
    mixinStandardHelpOptions = true,
    description = "Cumulative sum of [1, 2, 2, 2] with scan.")
public final class CumSum implements Callable<Integer> {
  @Override
  public Integer call() {
    Backends.init();
    System.out.println(Arrays.toString(compute(1f, 2f, 2f, 2f)));
    return 0;
  }

  /** The cumulative sum of {@code values}, computed by a scan node. */
  public static float[] compute(float... values) {
    Graph g = new Graph();
    INDArray initial =
        values.length == 0 ? Nd4j.create(DataType.FLOAT, 0) : Nd4j.createFromArray(values);
    Tensor elems = Ops.identity(g.variable("elems", initial));
    Tensor out = Scans.scan((acc, x) -> acc.add(x), elems, g.constant(0f));
    try (Session s = new Session(g)) {
      s.initializeVariables();
      return s.run(out).toFloatVector();
    }
  }
}
