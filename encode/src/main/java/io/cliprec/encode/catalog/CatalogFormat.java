package io.cliprec.encode.catalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Supported catalog layouts. The Amazon formats map their own field names onto the canonical
 * {@code title, brand, categories, description} (plus every other top-level field under its own name).
 */
public enum CatalogFormat {
  /** Amazon 2014 metadata: one Python dict literal per line ({@code asin}, {@code categories} = paths). */
  AMAZON2014("asin", List.of("title", "brand", "categories", "description"), "imUrl"),
  /** Amazon 2018 metadata: JSON lines ({@code asin}, {@code category} list, {@code description} list). */
  AMAZON2018("asin", List.of("title", "brand", "categories", "description"), "imageURLHighRes"),
  /** Amazon 2023 metadata: JSON lines ({@code parent_asin}, {@code store}, {@code images}). */
  AMAZON2023("parent_asin", List.of("title", "brand", "categories", "description"), "images"),
  /** RecBole atomic {@code .item} / {@code .text} (tab-separated, {@code name:type} header). */
  RECBOLE(null, List.of(), null),
  /** H&amp;M articles (JSONL or CSV), {@code article_id} and the descriptive columns. */
  HM("article_id", List.of("prod_name", "product_type_name", "colour_group_name", "department_name",
      "detail_desc"), null),
  /** Any JSON lines file: id and text fields named on the command line. */
  JSONL(null, List.of(), null),
  /** Any comma-separated file with a header (RFC 4180 quoting). */
  CSV(null, List.of(), null),
  /** Any tab-separated file with a header. */
  TSV(null, List.of(), null);

  private final String defaultId;
  private final List<String> defaultFields;
  private final String defaultImageField;

  CatalogFormat(String defaultId, List<String> defaultFields, String defaultImageField) {
    this.defaultId = defaultId;
    this.defaultFields = defaultFields;
    this.defaultImageField = defaultImageField;
  }

  /** Id field used when none is given (null: the first column, or required). */
  public String defaultIdField() {
    return defaultId;
  }

  /** Text fields used when none are given. */
  public List<String> defaultTextFields() {
    return defaultFields;
  }

  /** Field holding image paths/URLs in this format, or null. */
  public String defaultImageField() {
    return defaultImageField;
  }

  /**
   * Parses a format name: {@code amazon2014|amazon2018|amazon2023|recbole|hm|jsonl|csv|tsv} (also
   * {@code amazon-2014}, {@code item}, {@code text}, {@code json}).
   */
  public static CatalogFormat parse(String s) {
    String k = s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    switch (k) {
      case "amazon2014":
        return AMAZON2014;
      case "amazon2018":
        return AMAZON2018;
      case "amazon2023":
        return AMAZON2023;
      case "recbole":
      case "item":
      case "text":
        return RECBOLE;
      case "hm":
        return HM;
      case "jsonl":
      case "json":
        return JSONL;
      case "csv":
        return CSV;
      case "tsv":
        return TSV;
      default:
        throw new IllegalArgumentException("unknown catalog format '" + s
            + "' (amazon2014, amazon2018, amazon2023, recbole, hm, jsonl, csv, tsv)");
    }
  }

  /** Guess from the file name (extension; gz stripped); JSONL when unsure. */
  public static CatalogFormat detect(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
    }
    if (n.endsWith(".item") || n.endsWith(".text")) {
      return RECBOLE;
    }
    if (n.endsWith(".csv")) {
      return CSV;
    }
    if (n.endsWith(".tsv")) {
      return TSV;
    }
    return JSONL;
  }
}
