package dev.scanflow.exec;

import dev.scanflow.graph.Frame;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Shape;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Capture;
import dev.scanflow.ops.Placeholder;
import dev.scanflow.ops.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A compiled schedule computing some target tensors of a frame from values of some source tensors:
 * only the needed nodes, in topological order, each reading and writing numbered slots. A slot is
 * cleared right after its last use, so intermediates can be reclaimed early.
 */
public final class Plan {
  private final int slotCount;
  private final int[] sourceSlots;
  private final int[] targetSlots;
  private final Step[] steps;

  private record Step(Node node, int[] inputs, int[] outputs, boolean[] needed, int[] release) {}

  private Plan(int slotCount, int[] sourceSlots, int[] targetSlots, Step[] steps) {
    this.slotCount = slotCount;
    this.sourceSlots = sourceSlots;
    this.targetSlots = targetSlots;
    this.steps = steps;
  }

  /** Compiles the plan; fails naming any placeholder that is needed but not among the sources. */
  public static Plan compile(Frame frame, List<Tensor> sources, List<Tensor> targets) {
    Map<Tensor, Integer> slots = new HashMap<>();
    int[] sourceSlots = new int[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      sourceSlots[i] = slots.computeIfAbsent(sources.get(i), t -> slots.size());
    }
    // collect needed nodes
    TreeMap<Integer, Node> required = new TreeMap<>();
    List<Tensor> stack = new ArrayList<>(targets);
    while (!stack.isEmpty()) {
      Tensor t = stack.remove(stack.size() - 1);
      if (t.node().frame() != frame) {
        throw new GraphException(
            "tensor "
                + t
                + " is not part of "
                + (frame.isRoot() ? "the graph's top level" : "scan body " + frame.name()));
      }
      if (slots.containsKey(t) && contains(sources, t)) {
        continue;
      }
      Node n = t.node();
      if (required.put(n.id(), n) != null) {
        continue;
      }
      if (n.op() instanceof Placeholder p) {
        throw new GraphException(
            "missing feed for placeholder " + n.name() + " (expected " + p.spec() + ")");
      }
      if (n.op() instanceof Capture) {
        throw new IllegalStateException("body argument " + n.name() + " has no value");
      }
      stack.addAll(n.inputs());
    }
    // allocate slots and count uses
    for (Node n : required.values()) {
      for (int o = 0; o < n.outputCount(); o++) {
        slots.putIfAbsent(n.output(o), slots.size());
      }
    }
    int[] targetSlots = new int[targets.size()];
    boolean[] pinned = new boolean[slots.size()];
    for (int i = 0; i < targets.size(); i++) {
      targetSlots[i] = slots.get(targets.get(i));
      pinned[targetSlots[i]] = true;
    }
    int[] lastUse = new int[slots.size()];
    java.util.Arrays.fill(lastUse, -1);
    List<Node> order = new ArrayList<>(required.values());
    for (int s = 0; s < order.size(); s++) {
      for (Tensor in : order.get(s).inputs()) {
        lastUse[slots.get(in)] = s;
      }
    }
    Step[] steps = new Step[order.size()];
    for (int s = 0; s < order.size(); s++) {
      Node n = order.get(s);
      int[] ins = new int[n.inputs().size()];
      List<Integer> release = new ArrayList<>();
      for (int i = 0; i < ins.length; i++) {
        ins[i] = slots.get(n.input(i));
        if (lastUse[ins[i]] == s && !pinned[ins[i]] && !release.contains(ins[i])) {
          release.add(ins[i]);
        }
      }
      int[] outs = new int[n.outputCount()];
      boolean[] needed = new boolean[outs.length];
      for (int o = 0; o < outs.length; o++) {
        outs[o] = slots.get(n.output(o));
        needed[o] = pinned[outs[o]] || lastUse[outs[o]] >= 0;
      }
      steps[s] =
          new Step(n, ins, outs, needed, release.stream().mapToInt(Integer::intValue).toArray());
    }
    return new Plan(slots.size(), sourceSlots, targetSlots, steps);
  }

  private static boolean contains(List<Tensor> list, Tensor t) {
    for (Tensor s : list) {
      if (s.equals(t)) {
        return true;
      }
    }
    return false;
  }

  /** Runs the plan on source values (in the order the sources were given). */
  public INDArray[] run(ExecutionContext ctx, INDArray[] sources) {
    INDArray[] values = new INDArray[slotCount];
    for (int i = 0; i < sourceSlots.length; i++) {
      values[sourceSlots[i]] = sources[i];
    }
    for (Step step : steps) {
      Node n = step.node;
      INDArray[] out;
      if (n.op() instanceof Variable) {
        out = new INDArray[] {ctx.readVariable(n)};
      } else {
        INDArray[] in = new INDArray[step.inputs.length];
        for (int i = 0; i < in.length; i++) {
          in[i] = values[step.inputs[i]];
        }
        try {
          out = n.op().forward(ctx, in, step.needed);
        } catch (RuntimeException e) {
          throw new ExecutionException(
              "node " + n.name() + " (" + n.op().name() + "): " + e.getMessage(), e);
        }
        check(n, out, step.needed);
      }
      for (int o = 0; o < step.outputs.length; o++) {
        values[step.outputs[o]] = out[o];
      }
      for (int r : step.release) {
        values[r] = null;
      }
    }
    INDArray[] result = new INDArray[targetSlots.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = values[targetSlots[i]];
    }
    return result;
  }

  private static void check(Node n, INDArray[] out, boolean[] needed) {
    if (out.length != n.outputCount()) {
      throw new IllegalStateException(
          n.op().name() + " produced " + out.length + " outputs (node " + n.name() + ")");
    }
    for (int o = 0; o < out.length; o++) {
      if (out[o] == null && !needed[o]) {
        continue;
      }
      if (out[o] == null) {
        throw new IllegalStateException(
            n.op().name() + " produced no value for output " + o + " (node " + n.name() + ")");
      }
      Shape s = n.outputSpecs().get(o).shape();
      if (!s.accepts(out[o].shape())) {
        throw new ExecutionException(
            "node "
                + n.name()
                + " ("
                + n.op().name()
                + ") produced shape "
                + Shape.format(out[o].shape())
                + " where "
                + s
                + " was inferred");
      }
    }
  }

  /** How many intermediate values the plan drops before it ends (for tests of memory reuse). */
  public int releasesBeforeEnd() {
    int n = 0;
    for (Step s : steps) {
      n += s.release.length;
    }
    return n;
  }

  /** The number of nodes this plan executes. */
  public int size() {
    return steps.length;
  }
}
