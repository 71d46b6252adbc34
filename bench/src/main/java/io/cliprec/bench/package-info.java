/**
 * JMH benchmarks (run through {@code bench/*.sh} scripts, results in {@code bench/results/}):
 * {@link io.cliprec.bench.EvalKernelBench} measures the fused evaluation kernel against the bare
 * product floors in Java and DJL PyTorch.
 */
package io.cliprec.bench;
