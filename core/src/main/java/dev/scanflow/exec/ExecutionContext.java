package dev.scanflow.exec;

import dev.scanflow.graph.Frame;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime services an op's forward kernel may use: variables and running nested frames. */
public interface ExecutionContext {
  /** The current value of a variable (as of the start of this run). */
  INDArray readVariable(Node variable);

  /** Records a new value for a variable, applied when the run completes. */
  void assign(Node variable, INDArray value);

  /**
   * A compiled plan computing {@code targets} of {@code frame} from values of {@code sources}.
   * Plans are cached by the session.
   */
  Plan plan(Frame frame, List<Tensor> sources, List<Tensor> targets);

  /**
   * The frame compiled for float kernels at these source shapes (see {@link CompiledFrame}), or
   * {@code null} when it cannot be. Cached by the session.
   */
  CompiledFrame compiled(
      Frame frame,
      List<Tensor> sources,
      long[][] sourceShapes,
      List<Tensor> targets,
      int constantSources);
}
