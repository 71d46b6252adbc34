package io.cliprec.encode.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds small ONNX models (opset 13, IR version 7) directly in the protobuf wire format: float/int64
 * initializers, nodes with int/ints/float attributes, typed graph inputs and outputs with symbolic
 * dimensions. Enough for generated test models; not a general ONNX library.
 */
public final class OnnxGraphBuilder {
  /** ONNX TensorProto.DataType codes. */
  public static final int FLOAT = 1;
  public static final int INT64 = 7;

  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> inits = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();
  private final String name;
  private int counter;

  public OnnxGraphBuilder(String name) {
    this.name = name;
  }

  /** A fresh value name. */
  public String fresh(String stem) {
    return stem + "_" + (counter++);
  }

  /** Float initializer of the given shape (row-major data). */
  public String floatInit(String n, float[] data, long... dims) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.int64(1, d);
    }
    t.int64(2, FLOAT).string(8, n).bytes(9, ProtoWriter.floatsLittleEndian(data));
    inits.add(t);
    return n;
  }

  /** int64 initializer (e.g. axes for Unsqueeze / ReduceSum). */
  public String longInit(String n, long[] data, long... dims) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.int64(1, d);
    }
    t.int64(2, INT64).string(8, n).packedInt64(7, data);
    inits.add(t);
    return n;
  }

  /** Graph input; a dim is either a Long (fixed) or a String (symbolic). */
  public void input(String n, int elemType, Object... dims) {
    inputs.add(valueInfo(n, elemType, dims));
  }

  /** Graph output. */
  public void output(String n, int elemType, Object... dims) {
    outputs.add(valueInfo(n, elemType, dims));
  }

  private static ProtoWriter valueInfo(String n, int elemType, Object[] dims) {
    ProtoWriter shape = new ProtoWriter();
    for (Object d : dims) {
      ProtoWriter dim = new ProtoWriter();
      if (d instanceof String) {
        dim.string(2, (String) d);
      } else {
        dim.int64(1, ((Number) d).longValue());
      }
      shape.message(1, dim);
    }
    ProtoWriter tensor = new ProtoWriter().int64(1, elemType).message(2, shape);
    ProtoWriter type = new ProtoWriter().message(1, tensor);
    return new ProtoWriter().string(1, n).message(2, type);
  }

  /** Attribute helpers: int, ints, float. */
  public static Object[] attrInt(String n, long v) {
    return new Object[] {n, v};
  }

  public static Object[] attrInts(String n, long... v) {
    return new Object[] {n, v};
  }

  public static Object[] attrFloat(String n, float v) {
    return new Object[] {n, v};
  }

  /**
   * Adds a node with one output.
   *
   * @return the output name
   */
  public String node(String op, String[] in, String out, Object[]... attrs) {
    ProtoWriter nd = new ProtoWriter();
    for (String i : in) {
      nd.string(1, i);
    }
    nd.string(2, out).string(3, fresh(op)).string(4, op);
    for (Object[] a : attrs) {
      ProtoWriter at = new ProtoWriter().string(1, (String) a[0]);
      Object v = a[1];
      if (v instanceof Long) {
        at.int64(3, (Long) v).int64(20, 2);
      } else if (v instanceof Float) {
        at.float32(2, (Float) v).int64(20, 1);
      } else {
        for (long x : (long[]) v) {
          at.int64(8, x);
        }
        at.int64(20, 7);
      }
      nd.message(5, at);
    }
    nodes.add(nd);
    return out;
  }

  /** The serialized ModelProto. */
  public byte[] build() {
    ProtoWriter g = new ProtoWriter();
    for (ProtoWriter n : nodes) {
      g.message(1, n);
    }
    g.string(2, name);
    for (ProtoWriter t : inits) {
      g.message(5, t);
    }
    for (ProtoWriter i : inputs) {
      g.message(11, i);
    }
    for (ProtoWriter o : outputs) {
      g.message(12, o);
    }
    ProtoWriter opset = new ProtoWriter().string(1, "").int64(2, 13);
    return new ProtoWriter().int64(1, 7).string(2, "cliprec").message(7, g).message(8, opset).toByteArray();
  }
}
