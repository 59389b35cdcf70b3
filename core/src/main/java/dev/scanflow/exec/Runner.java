package dev.scanflow.exec;

import dev.scanflow.graph.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Collects feeds and fetches for one {@link Session#run}. */
public final class Runner {
  private final Session session;
  private final Map<Tensor, INDArray> feeds = new LinkedHashMap<>();
  private final List<Tensor> fetches = new ArrayList<>();

  Runner(Session session) {
    this.session = session;
  }

  public Runner feed(Tensor placeholder, INDArray value) {
    if (feeds.put(placeholder, value) != null) {
      throw new IllegalArgumentException(placeholder + " is fed twice");
    }
    return this;
  }

  public Runner fetch(Tensor... tensors) {
    fetches.addAll(List.of(tensors));
    return this;
  }

  /** Runs; returns one array per fetch, in order. */
  public List<INDArray> run() {
    return session.run(fetches, feeds);
  }
}
