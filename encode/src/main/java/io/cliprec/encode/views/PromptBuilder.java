package io.cliprec.encode.views;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Builds the V texts of an item from its cleaned field values.
 *
 * <ul>
 *   <li>{@link ViewMode#RAW}: V = 1, the values of the fields joined by single spaces (missing ones skipped;
 *       all missing gives {@link ViewTemplate#MISSING}).
 *   <li>{@link ViewMode#CLIPER}: one view per template in order, then a {@code global} view: the non-missing
 *       per-field prompts joined by single spaces (all missing gives {@code "Missing."}). This is CLIPER's
 *       intended global sentence (its script applied {@code format} to only the last literal).
 * </ul>
 * Values are cleaned with {@link #clean}: newlines/tabs become spaces, runs of whitespace collapse.
 */
public final class PromptBuilder {
  /** Name of the global view in CLIPER mode. */
  public static final String GLOBAL = "global";

  private final ViewMode mode;
  private final List<ViewTemplate> templates;
  private final boolean global;

  /**
   * @param mode raw or cliper
   * @param templates one per field (in raw mode only their fields are used)
   * @param global whether CLIPER mode adds the global view
   */
  public PromptBuilder(ViewMode mode, List<ViewTemplate> templates, boolean global) {
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("at least one text field is needed");
    }
    this.mode = mode;
    this.templates = List.copyOf(templates);
    this.global = global;
  }

  /** Default CLIPER templates for the given fields, with a global view. */
  public static PromptBuilder cliper(List<String> fields, Map<String, String> overrides) {
    List<ViewTemplate> ts = new ArrayList<>();
    for (String f : fields) {
      String t = overrides.get(f);
      ts.add(t == null ? ViewTemplate.defaultFor(f) : new ViewTemplate(f, f, t));
    }
    return new PromptBuilder(ViewMode.CLIPER, ts, true);
  }

  /** Raw mode over the given fields. */
  public static PromptBuilder raw(List<String> fields) {
    List<ViewTemplate> ts = new ArrayList<>();
    for (String f : fields) {
      ts.add(new ViewTemplate(f, f, "{}"));
    }
    return new PromptBuilder(ViewMode.RAW, ts, false);
  }

  public ViewMode mode() {
    return mode;
  }

  public List<ViewTemplate> templates() {
    return templates;
  }

  /** View names in output order (V of them). */
  public List<String> viewNames() {
    if (mode == ViewMode.RAW) {
      return List.of("raw");
    }
    List<String> names = new ArrayList<>();
    for (ViewTemplate t : templates) {
      names.add(t.name());
    }
    if (global) {
      names.add(GLOBAL);
    }
    return Collections.unmodifiableList(names);
  }

  /** Number of views V. */
  public int numViews() {
    return mode == ViewMode.RAW ? 1 : templates.size() + (global ? 1 : 0);
  }

  /**
   * The prefix repeated in every chunk of view {@code v} (empty for raw and global views).
   */
  public String prefix(int v) {
    if (mode == ViewMode.RAW || v >= templates.size()) {
      return "";
    }
    return templates.get(v).prefix();
  }

  /**
   * The V texts of one item.
   *
   * @param fields field name &rarr; raw value (null or absent = missing)
   */
  public List<String> build(Map<String, String> fields) {
    if (mode == ViewMode.RAW) {
      StringBuilder sb = new StringBuilder();
      for (ViewTemplate t : templates) {
        String v = clean(fields.get(t.field()));
        if (!v.isEmpty()) {
          if (sb.length() > 0) {
            sb.append(' ');
          }
          sb.append(v);
        }
      }
      return List.of(sb.length() == 0 ? ViewTemplate.MISSING : sb.toString());
    }
    List<String> out = new ArrayList<>(numViews());
    StringBuilder all = new StringBuilder();
    for (ViewTemplate t : templates) {
      String v = clean(fields.get(t.field()));
      String prompt = t.render(v);
      out.add(prompt);
      if (!ViewTemplate.isMissing(v)) {
        if (all.length() > 0) {
          all.append(' ');
        }
        all.append(prompt);
      }
    }
    if (global) {
      out.add(all.length() == 0 ? ViewTemplate.MISSING : all.toString());
    }
    return out;
  }

  /** Newlines and tabs to spaces, whitespace runs collapsed, trimmed; null becomes "". */
  public static String clean(String s) {
    if (s == null) {
      return "";
    }
    return s.replaceAll("\\s+", " ").strip();
  }
}
