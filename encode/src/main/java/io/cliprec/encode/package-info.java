/**
 * Catalog &rarr; ItemFeatures encoding: the encode pipeline, its statistics, manifests and {@code .npy}
 * output. Sub-packages: {@code text} (tokenisers, text encoders incl. the bundled all-MiniLM-L6-v2),
 * {@code clip} (CLIP over ONNX Runtime, image preprocessing, the generated test model), {@code views}
 * (CLIPER multi-view prompts and long-text chunking), {@code fusion} (view similarity and fusion),
 * {@code catalog} (catalog readers), {@code onnx} (ONNX Runtime helpers), {@code tools} (checks and
 * benchmarks runnable from the command line).
 */
package io.cliprec.encode;
