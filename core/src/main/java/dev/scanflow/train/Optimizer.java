package dev.scanflow.train;

import dev.scanflow.autodiff.Gradients;
import dev.scanflow.graph.DType;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Initializer;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Ops;
import dev.scanflow.ops.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds update ops in the graph, like TensorFlow 1's optimisers. {@link #applyGradients} returns
 * one tensor to fetch per training step; it also increments the global step once, if given.
 * Optimiser state (momentum, moments) lives in non-trainable slot variables named {@code
 * <variable>/<Optimiser>/<slot>}, so checkpoints capture it.
 */
public abstract class Optimizer {
  private final Tensor learningRate;
  private final String name;

  protected Optimizer(String name, Tensor learningRate) {
    if (learningRate.rank() != 0) {
      throw new GraphException(
          name + ": learning rate must be a scalar, got " + learningRate.shape());
    }
    this.name = name;
    this.learningRate = learningRate;
  }

  public String name() {
    return name;
  }

  /** The learning rate (a constant or a schedule of the global step). */
  public Tensor learningRate() {
    return learningRate;
  }

  /**
   * Differentiates {@code loss} with respect to the trainable variables and applies the gradients,
   * incrementing the graph's global step.
   */
  public Tensor minimize(Tensor loss) {
    return applyGradients(computeGradients(loss), GlobalStep.of(loss.graph()));
  }

  /** The gradients of {@code loss} for every trainable variable (null where it does not depend). */
  public List<GradAndVar> computeGradients(Tensor loss) {
    List<Tensor> vars = loss.graph().trainableVariables();
    List<Tensor> grads = Gradients.of(loss, vars, Gradients.Unconnected.NONE);
    List<GradAndVar> out = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      out.add(new GradAndVar(grads.get(i), vars.get(i)));
    }
    return out;
  }

  /**
   * Builds the update of each variable with a gradient, and the increment of {@code globalStep}
   * (may be null). Returns a tensor that runs them all when fetched.
   */
  public Tensor applyGradients(List<GradAndVar> gradsAndVars, Tensor globalStep) {
    List<Tensor> updates = new ArrayList<>();
    Graph graph = firstGraph(gradsAndVars, globalStep);
    try (Graph.Scope s = graph.nameScope(name)) {
      for (GradAndVar gv : gradsAndVars) {
        if (gv.gradient() == null) {
          continue;
        }
        Tensor v = gv.variable();
        if (!(v.node().op() instanceof Variable op)) {
          throw new GraphException(name + ": " + v + " is not a variable");
        }
        if (!op.trainable()) {
          throw new GraphException(name + ": variable " + v + " is not trainable");
        }
        if (!gv.gradient().shape().isCompatibleWith(v.shape())) {
          throw new GraphException(
              name
                  + ": gradient "
                  + gv.gradient().shape()
                  + " does not fit variable "
                  + v
                  + " "
                  + v.shape());
        }
        updates.addAll(update(v, gv.gradient(), Ops.cast(learningRate, v.dtype())));
      }
      if (globalStep != null) {
        updates.add(Ops.assign(globalStep, globalStep.add(Ops.scalarLike(globalStep, 1))));
      }
      updates.addAll(finish());
      if (updates.isEmpty()) {
        throw new GraphException(name + ": no variable has a gradient");
      }
      return Ops.group("train", updates);
    }
  }

  private static Graph firstGraph(List<GradAndVar> gvs, Tensor step) {
    if (!gvs.isEmpty()) {
      return gvs.get(0).variable().graph();
    }
    if (step != null) {
      return step.graph();
    }
    throw new GraphException("applyGradients: nothing to apply");
  }

  /** The assign ops updating {@code variable} from its gradient; slots are created here. */
  protected abstract List<Tensor> update(Tensor variable, Tensor gradient, Tensor lr);

  /** Extra assign ops run once per step after all variables (Adam's beta powers). */
  protected List<Tensor> finish() {
    return List.of();
  }

  /** A zero-initialised, non-trainable slot variable shaped like {@code variable}. */
  protected Tensor slot(Tensor variable, String slotName, double initial) {
    Variable op = (Variable) variable.node().op();
    return variable
        .graph()
        .newVariable(
            op.fullName() + "/" + name + "/" + slotName,
            variable.shape(),
            variable.dtype(),
            Initializer.constant(initial),
            false);
  }

  /** A non-trainable scalar variable of this optimiser. */
  protected Tensor scalarState(Graph g, String stateName, DType dtype, double initial) {
    String full = name + "/" + stateName;
    Tensor existing = g.variableNamed(full);
    if (existing != null) {
      throw new GraphException(
          name + ": state " + full + " exists; use one optimiser instance per graph");
    }
    return g.newVariable(
        full, dev.scanflow.graph.Shape.scalar(), dtype, Initializer.constant(initial), false);
  }
}
