package dev.scanflow.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Work buffers shared by compiled frames that never run at the same time: a session's top-level
 * requests, which it runs one after another. Each frame takes its buffers of a given size in order
 * (its first buffer of 65,536 floats, its second, ...), and the n-th buffer of a size is the same
 * array for every frame. So compiling the same training step for 46 sequence lengths allocates the
 * step's weight-sized buffers once rather than 46 times. Scan bodies run while the frame around
 * them is running and never take buffers from here.
 */
final class BufferPool {
  private final Map<Integer, List<float[]>> bySize = new HashMap<>();

  /**
   * Forgets the buffers handed out so far; frames compiled later get new ones. Frames that hold old
   * ones keep them, so nothing is shared wrongly, and the arrays go once those frames do.
   */
  void clear() {
    bySize.clear();
  }

  /** A frame's view: hands out this frame's first, second, ... buffer of each size. */
  Allocator allocator() {
    Map<Integer, Integer> taken = new HashMap<>();
    return size -> {
      List<float[]> arrays = bySize.computeIfAbsent(size, s -> new ArrayList<>());
      int i = taken.merge(size, 1, Integer::sum) - 1;
      if (i == arrays.size()) {
        arrays.add(new float[size]);
      }
      return arrays.get(i);
    };
  }

  /** How many buffers of {@code size} floats are held (for tests). */
  int buffersOfSize(int size) {
    List<float[]> arrays = bySize.get(size);
    return arrays == null ? 0 : arrays.size();
  }

  /** Where a compiled frame gets its buffers. */
  @FunctionalInterface
  interface Allocator {
    float[] take(int size);

    /** Fresh arrays, owned by one frame. */
    Allocator PRIVATE = float[]::new;
  }
}
