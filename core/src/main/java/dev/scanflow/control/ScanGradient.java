package dev.scanflow.control;

import dev.scanflow.autodiff.GradientContext;
import dev.scanflow.autodiff.Gradients;
import dev.scanflow.graph.Graph;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Tensor;
import dev.scanflow.ops.Capture;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient of a scan: another scan running the other way (backpropagation through time). See
 * the package note "Gradient".
 */
final class ScanGradient {
  private ScanGradient() {}

  static List<Tensor> build(Scan scan, GradientContext g) {
    Node node = g.node();
    Graph graph = g.graph();
    Scan.Body fwd = scan.body();
    int nc = scan.carryCount();
    int ne = scan.elemCount();
    int ncap = scan.captureCount();
    int ny = scan.yCount();
    List<Tensor> inits = node.inputs().subList(0, nc);
    List<Tensor> elems = node.inputs().subList(nc, nc + ne);
    List<Tensor> captures = node.inputs().subList(nc + ne, nc + ne + ncap);

    // which components carry gradients
    List<Integer> floatCarries = new ArrayList<>();
    for (int k = 0; k < nc; k++) {
      if (inits.get(k).dtype().isFloating()) {
        floatCarries.add(k);
      }
    }
    List<Integer> floatCaptures = new ArrayList<>();
    for (int j = 0; j < ncap; j++) {
      if (captures.get(j).dtype().isFloating()) {
        floatCaptures.add(j);
      }
    }
    List<Integer> floatElems = new ArrayList<>();
    for (int k = 0; k < ne; k++) {
      if (elems.get(k).dtype().isFloating()) {
        floatElems.add(k);
      }
    }
    List<Integer> seededYs = new ArrayList<>();
    for (int k = 0; k < ny; k++) {
      if (g.upstream(nc + k) != null) {
        seededYs.add(k);
      }
    }
    List<Integer> seededHistory = new ArrayList<>();
    for (int k : floatCarries) {
      if (g.upstream(nc + ny + k) != null) {
        seededHistory.add(k);
      }
    }

    // backward elems: dys, dhistory, history (all carries), forward elems
    List<Tensor> bElems = new ArrayList<>();
    for (int k : seededYs) {
      bElems.add(g.upstream(nc + k));
    }
    for (int k : seededHistory) {
      bElems.add(g.upstream(nc + ny + k));
    }
    for (int k = 0; k < nc; k++) {
      bElems.add(node.output(nc + ny + k));
    }
    bElems.addAll(elems);
    // backward carries: d(carry) for float carries, then running sums of d(capture)
    List<Tensor> bInits = new ArrayList<>();
    for (int k : floatCarries) {
      bInits.add(g.upstreamOrZeros(k));
    }
    for (int j : floatCaptures) {
      bInits.add(Ops.zerosLike(captures.get(j)));
    }
    int nfc = floatCarries.size();
    int[] hoisted = new int[floatCaptures.size()];
    // see the package note "Gradient": carries a step computes are read back from the history
    List<Integer> savedOuts = new ArrayList<>();
    for (int k : floatCarries) {
      if (isComputed(fwd, fwd.carryOuts().get(k))) {
        savedOuts.add(k);
        bInits.add(node.output(k));
      }
    }
    int savedBase = nfc + floatCaptures.size();

    ScanResult back =
        Scans.general(
            (carry, x) -> {
              int pos = 0;
              List<Tensor> dys = x.subList(pos, pos += seededYs.size());
              List<Tensor> dHist = x.subList(pos, pos += seededHistory.size());
              List<Tensor> prevCarry = x.subList(pos, pos += nc);
              List<Tensor> xs = x.subList(pos, pos + ne);
              // re-trace the forward step on the saved carry
              Map<Tensor, Tensor> map = new HashMap<>();
              for (int k = 0; k < nc; k++) {
                map.put(fwd.carryArgs().get(k), prevCarry.get(k));
              }
              for (int k = 0; k < ne; k++) {
                map.put(fwd.elemArgs().get(k), xs.get(k));
              }
              for (int j = 0; j < ncap; j++) {
                map.put(fwd.captureArgs().get(j), captures.get(j));
              }
              copyBody(graph, fwd, map);
              List<Tensor> outs = new ArrayList<>();
              List<Tensor> seeds = new ArrayList<>();
              for (int i = 0; i < nfc; i++) {
                outs.add(map.get(fwd.carryOuts().get(floatCarries.get(i))));
                seeds.add(carry.get(i));
              }
              for (int i = 0; i < seededYs.size(); i++) {
                outs.add(map.get(fwd.ys().get(seededYs.get(i))));
                seeds.add(dys.get(i));
              }
              List<Tensor> wrt = new ArrayList<>();
              for (int k : floatCarries) {
                wrt.add(prevCarry.get(k));
              }
              for (int k : floatElems) {
                wrt.add(xs.get(k));
              }
              for (int j : floatCaptures) {
                wrt.add(captures.get(j));
              }
              Map<Tensor, Tensor> known = new HashMap<>();
              for (int i = 0; i < savedOuts.size(); i++) {
                known.put(map.get(fwd.carryOuts().get(savedOuts.get(i))), carry.get(savedBase + i));
              }
              List<Tensor> grads = differentiate(outs, seeds, wrt, known);
              List<Tensor> nextCarry = new ArrayList<>();
              for (int i = 0; i < nfc; i++) {
                Tensor d = grads.get(i);
                int h = seededHistory.indexOf(floatCarries.get(i));
                nextCarry.add(h >= 0 ? Ops.add(d, dHist.get(h)) : d);
              }
              List<Tensor> ys = new ArrayList<>(grads.subList(nfc, nfc + floatElems.size()));
              for (int i = 0; i < floatCaptures.size(); i++) {
                Tensor grad = grads.get(nfc + floatElems.size() + i);
                if (isOuterProduct(grad, captures.get(floatCaptures.get(i)))) {
                  // see the package note "Gradient": emit the factors, multiply once after the loop
                  hoisted[i] = ys.size();
                  ys.add(grad.node().input(0));
                  ys.add(grad.node().input(1));
                  nextCarry.add(carry.get(nfc + i));
                } else {
                  hoisted[i] = -1;
                  nextCarry.add(Ops.add(carry.get(nfc + i), grad));
                }
              }
              for (int k : savedOuts) {
                nextCarry.add(prevCarry.get(k));
              }
              return new Step(nextCarry, ys);
            },
            bElems,
            bInits,
            !scan.reverse(),
            node.name().substring(node.name().lastIndexOf('/') + 1) + "_grad");

    List<Tensor> result = new ArrayList<>();
    for (int k = 0; k < nc + ne + ncap; k++) {
      result.add(null);
    }
    for (int i = 0; i < nfc; i++) {
      result.set(floatCarries.get(i), back.finalCarry().get(i));
    }
    for (int i = 0; i < floatElems.size(); i++) {
      result.set(nc + floatElems.get(i), back.ys().get(i));
    }
    for (int i = 0; i < floatCaptures.size(); i++) {
      Tensor grad = back.finalCarry().get(nfc + i);
      if (hoisted[i] >= 0) {
        Tensor w = captures.get(floatCaptures.get(i));
        Tensor a = back.ys().get(hoisted[i]);
        Tensor b = back.ys().get(hoisted[i] + 1);
        grad =
            Ops.matmul(
                Ops.reshape(a, -1, w.shape().dim(0)),
                Ops.reshape(b, -1, w.shape().dim(1)),
                true,
                false);
      }
      result.set(nc + ne + floatCaptures.get(i), grad);
    }
    return result;
  }

  /**
   * Whether a step's gradient of captured matrix {@code w} is {@code a^T b} with per-step factors
   * ({@code x:[p,m] W:[m,n]} gives {@code dW = x^T g}): then the sum over steps is one product of
   * the stacked factors, computed after the loop.
   */
  private static boolean isOuterProduct(Tensor grad, Tensor w) {
    return grad.node().op() instanceof dev.scanflow.ops.MatMul mm
        && mm.transposeX()
        && !mm.transposeY()
        && grad.node().frame() == grad.graph().currentFrame()
        && w.rank() == 2
        && w.shape().isFullyKnown()
        && grad.shape().equals(w.shape());
  }

  /**
   * Whether a step's carry output is computed by a node of the body (not an argument or a captured
   * tensor passed through), so that reading it from the history can spare recomputing it.
   */
  private static boolean isComputed(Scan.Body fwd, Tensor out) {
    return out.node().frame() == fwd.frame()
        && !(out.node().op() instanceof Capture)
        && !fwd.carryArgs().contains(out)
        && !fwd.elemArgs().contains(out)
        && !fwd.captureArgs().contains(out);
  }

  private static List<Tensor> differentiate(
      List<Tensor> outs, List<Tensor> seeds, List<Tensor> wrt, Map<Tensor, Tensor> known) {
    if (outs.isEmpty()) {
      List<Tensor> zeros = new ArrayList<>();
      for (Tensor w : wrt) {
        zeros.add(Ops.zerosLike(w));
      }
      return zeros;
    }
    return Gradients.of(outs, seeds, wrt, Gradients.Unconnected.ZERO, known);
  }

  /** Adds a copy of the forward body's nodes to the current frame, extending {@code map}. */
  private static void copyBody(Graph graph, Scan.Body fwd, Map<Tensor, Tensor> map) {
    for (Node n : fwd.frame().nodes()) {
      if (n.op() instanceof Capture) {
        continue;
      }
      List<Tensor> inputs = new ArrayList<>(n.inputs().size());
      for (Tensor in : n.inputs()) {
        Tensor m = map.get(in);
        if (m == null) {
          throw new IllegalStateException(
              "scan gradient: no copy of " + in + " while copying " + n.name());
        }
        inputs.add(m);
      }
      Node copy = graph.copyWithInputs(n, inputs);
      for (int o = 0; o < n.outputCount(); o++) {
        map.put(n.output(o), copy.output(o));
      }
    }
  }
}
