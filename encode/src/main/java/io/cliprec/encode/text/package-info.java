/** Tokenisers (HuggingFace tokenizer.json via DJL), the TextEncoder interface, length-sorted batching and ONNX sentence encoders with mean pooling (incl. the bundled all-MiniLM-L6-v2). */
package io.cliprec.encode.text;
