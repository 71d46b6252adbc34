package io.cliprec.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link NdScalars}: gradients stay right when the garbage collector runs between the forward and the
 * backward pass (DJL's {@code mul(Number)} gives 1e30 instead of 3 in exactly this setting), and no DJL
 * source in the project uses the unsafe Number overloads with a literal or cast argument.
 */
class NdScalarsTest {
  private static final float[] X = {1f, 2f, -3f, 0.5f};

  @Test
  void gradientsSurviveACollectionBetweenForwardAndBackward() throws InterruptedException {
    for (int rep = 0; rep < 5; rep++) {
      assertArrayEquals(new float[] {3f, 3f, 3f, 3f}, gradient(x -> NdScalars.mul(x, 3f)), "mul");
      assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, gradient(x -> NdScalars.div(x, 4f)), "div");
      assertArrayEquals(new float[] {1f, 1f, 0f, 0f}, gradient(x -> NdScalars.maximum(x, 0.75f)), "maximum");
    }
  }

  /** ∂ Σ f(x) / ∂x with a collection, and memory handed out again and overwritten, before backward. */
  private static float[] gradient(UnaryOperator<NDArray> f) throws InterruptedException {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager m = engine.newBaseManager(); GradientCollector gc = engine.newGradientCollector()) {
      NDArray x = m.create(X);
      x.setRequiresGradient(true);
      NDArray y = f.apply(x).sum();
      System.gc();
      Thread.sleep(20);
      List<ByteBuffer> junk = new ArrayList<>();
      for (int k = 0; k < 2000; k++) {
        junk.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 1e30f));
      }
      gc.backward(y);
      assertTrue(junk.size() == 2000);
      return x.getGradient().toFloatArray();
    }
  }

  /** A literal or cast argument to an unsafe Number overload, outside comments. */
  private static final Pattern UNSAFE =
      Pattern.compile("\\.(mul|div|maximum|minimum|pow)\\(\\s*(-?\\s*\\((float|double|int|long)\\)|-?[0-9])");

  @Test
  void noDjlSourceUsesTheUnsafeNumberOverloadsWithALiteral() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .forEach(p -> scan(root, p, found));
    }
    assertTrue(found.isEmpty(), "use NdScalars instead of DJL's Number overloads: " + found);
  }

  private static void scan(Path root, Path file, List<String> found) {
    try {
      List<String> lines = Files.readAllLines(file);
      if (lines.stream().noneMatch(l -> l.startsWith("import ai.djl.ndarray."))) {
        return;
      }
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i).strip();
        if (!l.startsWith("*") && !l.startsWith("/") && UNSAFE.matcher(l).find()) {
          found.add(root.relativize(file) + ":" + (i + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
