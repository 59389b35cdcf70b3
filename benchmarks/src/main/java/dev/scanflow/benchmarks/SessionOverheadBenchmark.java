package dev.scanflow.benchmarks;

import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.spi.Backends;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The fixed cost of {@code Session.run} on a tiny graph (one add of two fed scalars). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SessionOverheadBenchmark {
  private Session session;
  private Tensor sum;
  private Map<Tensor, INDArray> feeds;

  @Setup(Level.Trial)
  public void setup() {
    Backends.init();
    Graph g = new Graph();
    Tensor a = g.placeholder("a", DType.FLOAT32);
    Tensor b = g.placeholder("b", DType.FLOAT32);
    sum = a.add(b);
    session = new Session(g);
    feeds = Map.of(a, Nd4j.scalar(1f), b, Nd4j.scalar(2f));
    if (session.run(sum, feeds).getFloat(0) != 3f) {
      throw new IllegalStateException("1 + 2 != 3");
    }
  }

  @Benchmark
  public INDArray run() {
    return session.run(sum, feeds);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
  }
}
