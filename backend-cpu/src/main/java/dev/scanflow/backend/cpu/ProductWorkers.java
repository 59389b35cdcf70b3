package dev.scanflow.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Helper threads that each take one part of a large matrix product while the caller computes
 * another, every part a single-threaded BLAS call. A helper spins briefly between parts (the parts
 * of a scan arrive every few tens of microseconds, and waking a parked thread costs about as much)
 * and parks once idle for {@link #SPIN_NANOS}. One product at a time uses the helpers; a caller
 * that finds them busy computes its product alone.
 */
final class ProductWorkers {
  /** How long an idle helper spins before parking. */
  static final long SPIN_NANOS = 200_000;

  private final Helper[] helpers;
  private final AtomicBoolean busy = new AtomicBoolean();

  ProductWorkers(int helperCount) {
    helpers = new Helper[helperCount];
    for (int i = 0; i < helperCount; i++) {
      helpers[i] = new Helper("scanflow-product-" + (i + 1));
    }
  }

  /** The number of parts a product can be cut into: the helpers plus the caller. */
  int parallelism() {
    return helpers.length + 1;
  }

  /**
   * Runs {@code parts[0]} on the calling thread and the rest on helpers, returning when all are
   * done; returns {@code false} without running anything when another product holds the helpers.
   */
  boolean runAll(Runnable[] parts) {
    if (parts.length - 1 > helpers.length) {
      throw new IllegalArgumentException(
          parts.length + " parts for " + helpers.length + " helpers");
    }
    if (!busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      for (int i = 1; i < parts.length; i++) {
        helpers[i - 1].submit(parts[i]);
      }
      Throwable failure = null;
      try {
        parts[0].run();
      } catch (Throwable t) {
        failure = t;
      }
      for (int i = 1; i < parts.length; i++) {
        Throwable t = helpers[i - 1].await();
        if (failure == null) {
          failure = t;
        }
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
      return true;
    } finally {
      busy.set(false);
    }
  }

  private static final class Helper implements Runnable {
    private final Thread thread;
    private volatile Runnable task;
    private volatile boolean done = true;
    private volatile Throwable failure;

    Helper(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
      thread.start();
    }

    void submit(Runnable r) {
      failure = null;
      done = false;
      task = r;
      LockSupport.unpark(thread);
    }

    Throwable await() {
      while (!done) {
        Thread.onSpinWait();
      }
      return failure;
    }

    @Override
    public void run() {
      long idleSince = System.nanoTime();
      while (true) {
        Runnable r = task;
        if (r != null) {
          task = null;
          try {
            r.run();
          } catch (Throwable t) {
            failure = t;
          }
          done = true;
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince > SPIN_NANOS) {
          LockSupport.park(this);
          idleSince = System.nanoTime();
        } else {
          Thread.onSpinWait();
        }
      }
    }
  }
}
