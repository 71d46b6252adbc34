/**
 * CLIP over ONNX Runtime: optimum export layouts (joint or separate towers), HuggingFace image
 * preprocessing reproduced exactly (Pillow bicubic), parallel image decoding overlapped with inference,
 * per-item image failures, and the generated tiny CLIP test model.
 */
package io.cliprec.encode.clip;
