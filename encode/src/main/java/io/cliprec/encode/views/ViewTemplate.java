package io.cliprec.encode.views;

import java.util.Locale;
import java.util.Objects;

/**
 * One text view: a catalog field rendered through a prompt template containing {@code {}} once, e.g.
 * {@code "The product title is {}."}. The text before {@code {}} is the view prefix, repeated at the start of
 * every chunk of an over-long text. An empty field renders as prefix + {@link #MISSING} (CLIPER's filler).
 */
public final class ViewTemplate {
  /** CLIPER's filler for an empty field. */
  public static final String MISSING = "Missing.";

  private final String name;
  private final String field;
  private final String prefix;
  private final String suffix;

  /**
   * @param name view name (used in outputs, e.g. {@code title})
   * @param field catalog field it reads
   * @param template text with exactly one {@code {}}
   */
  public ViewTemplate(String name, String field, String template) {
    this.name = Objects.requireNonNull(name);
    this.field = Objects.requireNonNull(field);
    int at = template.indexOf("{}");
    if (at < 0 || template.indexOf("{}", at + 2) >= 0) {
      throw new IllegalArgumentException("template for view '" + name + "' must contain '{}' exactly once: "
          + template);
    }
    this.prefix = template.substring(0, at);
    this.suffix = template.substring(at + 2);
  }

  /**
   * The default template of a field: CLIPER's wording for title, brand, categories, description; short
   * wordings for the H&amp;M article columns; {@code The product <field words> is {}.} otherwise.
   */
  public static ViewTemplate defaultFor(String field) {
    switch (field.toLowerCase(Locale.ROOT)) {
      case "title":
        return new ViewTemplate(field, field, "The product title is {}.");
      case "brand":
        return new ViewTemplate(field, field, "The product brand is {}.");
      case "categories":
      case "category":
        return new ViewTemplate(field, field, "The product categories are {}.");
      case "description":
      case "detail_desc":
        return new ViewTemplate(field, field, "The product description is {}");
      // H&M article columns
      case "prod_name":
        return new ViewTemplate(field, field, "The product name is {}.");
      case "product_type_name":
        return new ViewTemplate(field, field, "The product type is {}.");
      case "colour_group_name":
        return new ViewTemplate(field, field, "The product colour is {}.");
      case "department_name":
        return new ViewTemplate(field, field, "The product department is {}.");
      default:
        String words = field.replace('_', ' ').replace('-', ' ').trim();
        return new ViewTemplate(field, field, "The product " + words + " is {}.");
    }
  }

  public String name() {
    return name;
  }

  public String field() {
    return field;
  }

  /** Text before the value (repeated in every chunk). */
  public String prefix() {
    return prefix;
  }

  public String suffix() {
    return suffix;
  }

  /** Whether a value counts as missing: null, or at most one character after trimming (as in CLIPER). */
  public static boolean isMissing(String value) {
    return value == null || value.strip().length() <= 1;
  }

  /** The prompt for {@code value} (already cleaned); the filler prompt when missing. */
  public String render(String value) {
    if (isMissing(value)) {
      return prefix + MISSING;
    }
    return prefix + value + suffix;
  }

  /** The template as written ({@code prefix{}suffix}). */
  public String template() {
    return prefix + "{}" + suffix;
  }

  @Override
  public String toString() {
    return name + "=" + template();
  }
}
