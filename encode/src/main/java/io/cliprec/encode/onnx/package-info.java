/** ONNX Runtime helpers (sessions, tensors, hashes of model files) and a minimal ONNX protobuf graph writer for generated test models. */
package io.cliprec.encode.onnx;
