/** ONNX Runtime helpers: sessions, tensors, hashes of model files. */
package io.cliprec.encode.onnx;
