/**
 * JMH benchmarks (run through {@code bench/*.sh} scripts, results in {@code bench/results/}):
 * {@link io.cliprec.bench.EvalKernelBench} measures the fused evaluation kernel against the bare
 * product floors in Java and DJL PyTorch; {@link io.cliprec.bench.SessionEncoderCheck} compares a trained
 * sequential model's plain-Java session encoder with the factors DJL computed.
 */
package io.cliprec.bench;
