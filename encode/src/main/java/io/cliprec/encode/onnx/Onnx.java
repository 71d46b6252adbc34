package io.cliprec.encode.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Small helpers around ONNX Runtime: sessions, tensors, hashes. */
public final class Onnx {
  private Onnx() {}

  /** The process-wide ONNX Runtime environment. */
  public static OrtEnvironment env() {
    return OrtEnvironment.getEnvironment();
  }

  /**
   * Session options: all optimisations, {@code threads} intra-op threads (0 = ONNX Runtime's default, one
   * per core).
   */
  public static OrtSession.SessionOptions options(int threads) {
    try {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (threads > 0) {
        o.setIntraOpNumThreads(threads);
      }
      o.setInterOpNumThreads(1);
      return o;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime session options: " + e.getMessage(), e);
    }
  }

  /** Opens a session on a model file. */
  public static OrtSession open(Path model, int threads) {
    try (OrtSession.SessionOptions o = options(threads)) {
      return env().createSession(model.toString(), o);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load ONNX model " + model + ": " + e.getMessage(), e);
    }
  }

  /** Opens a session on model bytes. */
  public static OrtSession open(byte[] model, String label, int threads) {
    try (OrtSession.SessionOptions o = options(threads)) {
      return env().createSession(model, o);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load ONNX model " + label + ": " + e.getMessage(), e);
    }
  }

  /** int64 tensor of the given shape over {@code data} (row-major). */
  public static OnnxTensor longTensor(long[] data, long... shape) {
    try {
      return OnnxTensor.createTensor(env(), LongBuffer.wrap(data), shape);
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /** float32 tensor of the given shape over {@code data} (row-major). */
  public static OnnxTensor floatTensor(float[] data, long... shape) {
    try {
      return OnnxTensor.createTensor(env(), FloatBuffer.wrap(data), shape);
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs a session and returns the named float output flattened row-major, with its shape in
   * {@code shapeOut} (length = rank). Inputs are closed by the caller.
   */
  public static float[] runFloat(OrtSession s, Map<String, OnnxTensor> inputs, String output, long[][] shapeOut) {
    try (OrtSession.Result r = s.run(inputs, java.util.Set.of(output))) {
      OnnxTensor t = (OnnxTensor) r.get(output).orElseThrow(
          () -> new IllegalStateException("model has no output '" + output + "'"));
      long[] shape = t.getInfo().getShape();
      if (shapeOut != null) {
        shapeOut[0] = shape;
      }
      FloatBuffer fb = t.getFloatBuffer();
      float[] a = new float[fb.remaining()];
      fb.get(a);
      return a;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX inference failed: " + e.getMessage(), e);
    }
  }

  /** SHA-256 hex of a file. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SHA-256 hex of bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (DigestInputStream d = new DigestInputStream(in, md)) {
        byte[] buf = new byte[1 << 16];
        while (d.read(buf) >= 0) {
          // digest only
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
