package io.cliprec.models.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Runs a range body over contiguous blocks on a private {@link ForkJoinPool}. Each index is processed by
 * exactly one block, so kernels that write disjoint outputs per index are deterministic regardless of the
 * thread count. Close it to stop its threads.
 */
public final class Parallel implements AutoCloseable {
  /** Body over {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  private final int threads;
  private final ForkJoinPool pool;

  /** @param threads worker count; {@code <= 0} means all available processors */
  public Parallel(int threads) {
    this.threads = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
    this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
  }

  public int threads() {
    return threads;
  }

  /** Splits {@code [0, n)} into about {@code 4 * threads} blocks and runs them; waits for all. */
  public void forRange(int n, Range body) {
    if (pool == null || n < 1024) {
      body.run(0, n);
      return;
    }
    int blocks = Math.min(n, threads * 4);
    forBlocks(n, blocks, body);
  }

  /** Runs {@code body} on {@code bounds[b]..bounds[b+1]} for every block b. */
  public void forBounds(int[] bounds, Range body) {
    int blocks = bounds.length - 1;
    if (pool == null || blocks <= 1) {
      body.run(bounds[0], bounds[blocks]);
      return;
    }
    List<Future<?>> fs = new ArrayList<>(blocks);
    for (int b = 0; b < blocks; b++) {
      int from = bounds[b];
      int to = bounds[b + 1];
      fs.add(pool.submit(() -> body.run(from, to)));
    }
    join(fs);
  }

  private void forBlocks(int n, int blocks, Range body) {
    List<Future<?>> fs = new ArrayList<>(blocks);
    for (int b = 0; b < blocks; b++) {
      int from = (int) ((long) n * b / blocks);
      int to = (int) ((long) n * (b + 1) / blocks);
      fs.add(pool.submit(() -> body.run(from, to)));
    }
    join(fs);
  }

  private static void join(List<Future<?>> fs) {
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException) {
          throw (RuntimeException) c;
        }
        if (c instanceof Error) {
          throw (Error) c;
        }
        throw new IllegalStateException(c);
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
