package dev.scanflow.benchmarks;

import dev.scanflow.spi.Backends;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward and backward through a scan of length T (the seed's step, H = 256, B = 1). The report
 * divides the time by T to give the time per step, which should not grow with T.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "--add-modules=jdk.incubator.vector"})
public class ScanLengthBenchmark {
  @Param({"10", "100", "1000", "10000"})
  public int t;

  private SeedGraph graph;
  private INDArray x;
  private INDArray y;

  @Setup(Level.Trial)
  public void setup() {
    Backends.init();
    INDArray[] xy = Inputs.sequence(t, 1, 3);
    x = xy[0];
    y = xy[1];
    // a tiny learning rate keeps the weights (and the work) the same from step to step
    graph = new SeedGraph(1, 256, 1e-9, 1.0, Inputs.seedWeights(256, 5));
    if (!Double.isFinite(graph.step(x, y))) {
      throw new IllegalStateException("non-finite loss over " + t + " steps");
    }
  }

  @Benchmark
  public double forwardBackward() {
    return graph.step(x, y);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    graph.close();
  }
}
