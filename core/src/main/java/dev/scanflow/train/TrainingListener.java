package dev.scanflow.train;

/** Called by a {@link TrainingLoop} around and after each step. */
@FunctionalInterface
public interface TrainingListener {
  default void onStart(TrainingLoop.State state) {}

  void onStep(TrainingLoop.State state);

  default void onEnd(TrainingLoop.State state) {}
}
