package io.cliprec.cli;

import io.cliprec.models.ModelRegistry;
import io.cliprec.models.Recommender;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cliprec models}: lists registered models and their defaults. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Lists the registered models, or the default hyper-parameters of one model.")
final class ModelsCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Show this model's defaults.")
  String name;

  @Override
  public Integer call() {
    if (name == null) {
      for (String n : ModelRegistry.names()) {
        System.out.println(n);
      }
      return 0;
    }
    Recommender r = ModelRegistry.get(name);
    for (Map.Entry<String, Object> e : r.defaults().asMap().entrySet()) {
      System.out.println(e.getKey() + ": " + e.getValue());
    }
    return 0;
  }
}
