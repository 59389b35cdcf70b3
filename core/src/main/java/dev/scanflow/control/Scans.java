package dev.scanflow.control;

import dev.scanflow.graph.Graph;
import dev.scanflow.graph.GraphException;
import dev.scanflow.graph.Node;
import dev.scanflow.graph.Tensor;
import dev.scanflow.graph.TensorSpec;
import dev.scanflow.ops.Capture;
import dev.scanflow.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;

/**
 * TensorFlow's {@code scan} and a general form, differentiable by backpropagation through time.
 *
 * <pre>{@code
 * Tensor cumsum = Scans.scan((acc, x) -> acc.add(x), elems, g.constant(0f));
 * }</pre>
 */
public final class Scans {
  private Scans() {}

  /**
   * {@code fn(acc, x) -> acc} over the rows of {@code elems} from {@code initializer}; returns the
   * stacked accumulators.
   */
  public static Tensor scan(BinaryOperator<Tensor> fn, Tensor elems, Tensor initializer) {
    return scan(fn, elems, initializer, false, "scan");
  }

  /**
   * As {@link #scan(BinaryOperator, Tensor, Tensor)}, running from the last row to the first when
   * {@code reverse}; the output keeps the input order.
   */
  public static Tensor scan(
      BinaryOperator<Tensor> fn, Tensor elems, Tensor initializer, boolean reverse, String name) {
    return scan(
            (c, x) -> List.of(fn.apply(c.get(0), x.get(0))),
            List.of(elems),
            List.of(initializer),
            reverse,
            name)
        .get(0);
  }

  /**
   * The no-initializer form: {@code elems[0]} is the first accumulator and row 0 of the output
   * (with {@code reverse}, the last row), and the loop runs over the remaining rows.
   */
  public static Tensor scan(BinaryOperator<Tensor> fn, Tensor elems) {
    return scan(fn, elems, false, "scan");
  }

  public static Tensor scan(BinaryOperator<Tensor> fn, Tensor elems, boolean reverse, String name) {
    Tensor e = reverse ? Ops.reverse(elems) : elems;
    long[] begin = new long[e.rank()];
    long[] firstSize = new long[e.rank()];
    java.util.Arrays.fill(firstSize, -1);
    firstSize[0] = 1;
    Tensor first = Ops.slice(e, begin, firstSize);
    long[] restBegin = begin.clone();
    restBegin[0] = 1;
    long[] restSize = new long[e.rank()];
    java.util.Arrays.fill(restSize, -1);
    Tensor rest = Ops.slice(e, restBegin, restSize);
    Tensor ys = scan(fn, rest, Ops.squeeze(first, 0), false, name);
    Tensor out = Ops.concat(0, first, ys);
    return reverse ? Ops.reverse(out) : out;
  }

  /**
   * The TF form over tuples: {@code fn(carry, x) -> carry}; returns each carry component stacked.
   */
  public static List<Tensor> scan(
      BiFunction<List<Tensor>, List<Tensor>, List<Tensor>> fn,
      List<Tensor> elems,
      List<Tensor> initializers,
      boolean reverse,
      String name) {
    return general(
            (c, x) -> {
              List<Tensor> next = fn.apply(c, x);
              return new Step(next, next);
            },
            elems,
            initializers,
            reverse,
            name)
        .ys();
  }

  /** The general form with one carry and one sequence. */
  public static ScanResult general(
      BiFunction<Tensor, Tensor, Step> fn, Tensor elems, Tensor initializer) {
    return general(
        (c, x) -> fn.apply(c.get(0), x.get(0)),
        List.of(elems),
        List.of(initializer),
        false,
        "scan");
  }

  /**
   * The general form: {@code fn(carry, x) -> (carry, ys)} over tuples; returns the final carry and
   * the stacked {@code ys}. {@code fn} may use any tensor of the enclosing graph.
   */
  public static ScanResult general(
      ScanBody fn, List<Tensor> elems, List<Tensor> initializers, boolean reverse, String name) {
    if (elems.isEmpty()) {
      throw new GraphException("scan " + name + ": needs at least one sequence to scan over");
    }
    Graph g = elems.get(0).graph();
    for (int k = 0; k < elems.size(); k++) {
      if (elems.get(k).rank() < 1) {
        throw new GraphException(
            "scan "
                + name
                + ": elems component "
                + k
                + " ("
                + elems.get(k)
                + ") is a scalar; it needs a first dimension");
      }
    }
    for (int k = 1; k < elems.size(); k++) {
      long a = elems.get(0).shape().dim(0);
      long b = elems.get(k).shape().dim(0);
      if (a >= 0 && b >= 0 && a != b) {
        throw new GraphException(
            "scan "
                + name
                + ": tuple elems have different lengths: "
                + elems.get(0)
                + " "
                + elems.get(0).shape()
                + " and "
                + elems.get(k)
                + " "
                + elems.get(k).shape());
      }
    }
    Graph.Traced<Scan.Body> traced =
        g.trace(
            name + "/body",
            frame -> {
              List<Tensor> carryArgs = new ArrayList<>();
              for (int k = 0; k < initializers.size(); k++) {
                carryArgs.add(g.add(new Capture(initializers.get(k).spec()), "carry_" + k));
              }
              List<Tensor> elemArgs = new ArrayList<>();
              for (int k = 0; k < elems.size(); k++) {
                TensorSpec s = elems.get(k).spec();
                elemArgs.add(
                    g.add(new Capture(new TensorSpec(s.shape().dropFirst(), s.dtype())), "x_" + k));
              }
              Step step = fn.apply(List.copyOf(carryArgs), List.copyOf(elemArgs));
              if (step == null) {
                throw new GraphException("scan " + name + ": fn returned null");
              }
              if (step.carry().size() != initializers.size()) {
                throw new GraphException(
                    "scan "
                        + name
                        + ": fn returned "
                        + step.carry().size()
                        + " carry components, expected "
                        + initializers.size());
              }
              List<Tensor> carryOuts = new ArrayList<>();
              for (int k = 0; k < initializers.size(); k++) {
                Tensor out = local(g, frame, step.carry().get(k));
                TensorSpec want = initializers.get(k).spec();
                if (out.dtype() != want.dtype() || !out.shape().isCompatibleWith(want.shape())) {
                  throw new GraphException(
                      "scan "
                          + name
                          + ": carry component "
                          + k
                          + " ("
                          + out
                          + ") returned as "
                          + out.spec()
                          + " but the initializer "
                          + initializers.get(k)
                          + " is "
                          + want);
                }
                carryOuts.add(out);
              }
              List<Tensor> ys = new ArrayList<>();
              for (Tensor y : step.ys()) {
                ys.add(local(g, frame, y));
              }
              return new Scan.Body(frame, carryArgs, elemArgs, List.of(), carryOuts, ys);
            });
    Scan.Body b = traced.result();
    Map<Tensor, Tensor> captures = traced.frame().captures();
    Scan.Body body =
        new Scan.Body(
            b.frame(),
            b.carryArgs(),
            b.elemArgs(),
            List.copyOf(captures.values()),
            b.carryOuts(),
            b.ys());
    List<Tensor> inputs = new ArrayList<>(initializers);
    inputs.addAll(elems);
    inputs.addAll(captures.keySet());
    Node node = g.addNode(new Scan(body, reverse), name, inputs);
    int nc = initializers.size();
    List<Tensor> finals = new ArrayList<>();
    for (int k = 0; k < nc; k++) {
      finals.add(node.output(k));
    }
    List<Tensor> stacked = new ArrayList<>();
    for (int k = 0; k < body.ys().size(); k++) {
      stacked.add(node.output(nc + k));
    }
    return new ScanResult(finals, stacked);
  }

  private static Tensor local(Graph g, dev.scanflow.graph.Frame frame, Tensor t) {
    if (t == null) {
      throw new GraphException("scan: fn returned a null tensor");
    }
    return t.node().frame() == frame ? t : Ops.identity(t);
  }
}
