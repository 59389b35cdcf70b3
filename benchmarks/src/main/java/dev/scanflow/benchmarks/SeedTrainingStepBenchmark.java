package dev.scanflow.benchmarks;

import dev.scanflow.spi.Backends;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
 * One full optimisation step of the seed's model (forward over T steps, MSE, gradients, clipping,
 * SGD update) in scanflow, in DL4J and as a hand-written ND4J loop, on the same inputs.
 *
 * <p>DL4J has no global-norm clipping: its baseline clips each layer's gradient to L2 norm 1.0
 * ({@code ClipL2PerLayer}), the closest it offers; its MSE also averages differently over time
 * steps. The work per step is the same; the numbers are not compared.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "--add-modules=jdk.incubator.vector"})
public class SeedTrainingStepBenchmark {
  @Param({"5", "27", "50"})
  public int t;

  @Param({"1", "32"})
  public int batch;

  @Param({"256"})
  public int hidden;

  private INDArray x;
  private INDArray y;
  private INDArray dl4jX;
  private INDArray dl4jY;
  private SeedGraph scanflow;
  private Nd4jLoop loop;
  private MultiLayerNetwork net;

  @Setup(Level.Trial)
  public void setup() {
    Backends.init();
    INDArray[] xy = Inputs.sequence(t, batch, 42);
    x = xy[0];
    y = xy[1];
    dl4jX = x.permute(1, 2, 0).dup('c'); // [B, 1, T]
    dl4jY = y.permute(1, 2, 0).dup('c');
    List<INDArray> init = Inputs.seedWeights(hidden, 7);
    scanflow = new SeedGraph(batch, hidden, 1e-2, 1.0, init);
    loop = new Nd4jLoop(t, batch, hidden, 1e-2, 1.0, init);
    check();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(7)
            .dataType(DataType.FLOAT)
            .updater(new Sgd(1e-2))
            .gradientNormalization(GradientNormalization.ClipL2PerLayer)
            .gradientNormalizationThreshold(1.0)
            .list()
            .layer(new SimpleRnn.Builder().nIn(1).nOut(hidden).activation(Activation.TANH).build())
            .layer(
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nIn(hidden)
                    .nOut(1)
                    .activation(Activation.IDENTITY)
                    .build())
            .build();
    net = new MultiLayerNetwork(conf);
    net.init();
  }

  /** scanflow and the ND4J loop must reach the same weights after one step (to 1e-5). */
  private void check() {
    List<INDArray> init = Inputs.seedWeights(hidden, 7);
    try (SeedGraph a = new SeedGraph(batch, hidden, 1e-2, 1.0, init)) {
      Nd4jLoop b = new Nd4jLoop(t, batch, hidden, 1e-2, 1.0, init);
      double la = a.step(x, y);
      double lb = b.step(x, y);
      if (Math.abs(la - lb) > 1e-5 * Math.max(1, Math.abs(lb))) {
        throw new IllegalStateException("losses differ: scanflow " + la + ", nd4jLoop " + lb);
      }
      List<INDArray> wa = a.weightValues();
      List<INDArray> wb = b.weightValues();
      for (int i = 0; i < wa.size(); i++) {
        double diff = wa.get(i).sub(wb.get(i)).amaxNumber().doubleValue();
        if (diff > 1e-5) {
          throw new IllegalStateException(
              "updated weight " + i + " differs by " + diff + " between scanflow and nd4jLoop");
        }
      }
    }
  }

  @Benchmark
  public double scanflow() {
    return scanflow.step(x, y);
  }

  @Benchmark
  public double nd4jLoop() {
    return loop.step(x, y);
  }

  @Benchmark
  public double dl4j() {
    net.fit(dl4jX, dl4jY);
    return net.score();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scanflow.close();
  }
}
