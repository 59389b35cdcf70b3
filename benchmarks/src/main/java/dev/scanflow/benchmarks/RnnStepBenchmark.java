package dev.scanflow.benchmarks;

import dev.scanflow.autodiff.Gradients;
import dev.scanflow.exec.Session;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.spi.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * One vanilla-RNN time step {@code h = tanh(h W_h + x W_x + b)} run as a top-level graph (the
 * op-by-op path), forward only and forward with the gradients of all inputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "--add-modules=jdk.incubator.vector"})
public class RnnStepBenchmark {
  @Param({"64", "256", "1024"})
  public int hidden;

  @Param({"1", "32"})
  public int batch;

  private Session session;
  private Tensor next;
  private List<Tensor> forwardBackward;
  private Map<Tensor, INDArray> feeds;

  @Setup(Level.Trial)
  public void setup() {
    Backends.init();
    SplittableRandom r = new SplittableRandom(1);
    Graph g = new Graph();
    Tensor h = g.placeholder("h", DType.FLOAT32, batch, hidden);
    Tensor x = g.placeholder("x", DType.FLOAT32, batch, 1);
    Tensor wH = g.variable("W_h", Inputs.uniform(r, 0.1, hidden, hidden));
    Tensor wX = g.variable("W_x", Inputs.uniform(r, 0.1, 1, hidden));
    Tensor b = g.variable("b", Inputs.uniform(r, 0.1, hidden));
    next = h.matmul(wH).add(x.matmul(wX)).add(b).tanh();
    forwardBackward = new ArrayList<>();
    forwardBackward.add(next);
    forwardBackward.addAll(Gradients.of(Ops.reduceSum(next, false), List.of(h, wH, wX, b)));
    session = new Session(g);
    session.initializeVariables();
    feeds = Map.of(h, Inputs.uniform(r, 1, batch, hidden), x, Inputs.uniform(r, 1, batch, 1));
    // check once: tanh output in range and gradients present
    if (session.run(next, feeds).amaxNumber().doubleValue() >= 1
        || session.run(forwardBackward, feeds).size() != 5) {
      throw new IllegalStateException("RNN step produced invalid values");
    }
  }

  @Benchmark
  public INDArray forward() {
    return session.run(next, feeds);
  }

  @Benchmark
  public List<INDArray> forwardBackward() {
    return session.run(forwardBackward, feeds);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
  }
}
