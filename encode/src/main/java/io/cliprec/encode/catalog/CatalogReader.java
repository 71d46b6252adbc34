package io.cliprec.encode.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cliprec.core.io.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a catalog file into {@link CatalogItem}s, in file order. Gzipped files ({@code .gz}) are read
 * transparently. Values are flattened to strings: lists of strings are joined by a space, a list of lists
 * (Amazon category paths) gives its first path, HTML entities are decoded. Bad input raises
 * {@link DataFormatException} naming file, line and field. Duplicate ids keep the first occurrence and are
 * counted in {@link Result#duplicates()}.
 */
public final class CatalogReader {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogReader.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private CatalogReader() {}

  /** Items read plus what was skipped. */
  public static final class Result {
    private final List<CatalogItem> items;
    private final int duplicates;
    private final List<String> textFields;
    private final String idField;

    Result(List<CatalogItem> items, int duplicates, List<String> textFields, String idField) {
      this.items = items;
      this.duplicates = duplicates;
      this.textFields = textFields;
      this.idField = idField;
    }

    public List<CatalogItem> items() {
      return items;
    }

    /** Rows whose id had already been seen (first occurrence kept). */
    public int duplicates() {
      return duplicates;
    }

    /** Text fields in effect (given or the format's default). */
    public List<String> textFields() {
      return textFields;
    }

    public String idField() {
      return idField;
    }
  }

  /** Reads {@code file} in {@code format} (null = detect from the file name). */
  public static Result read(Path file, CatalogFormat format, CatalogSpec spec) {
    CatalogFormat f = format == null ? CatalogFormat.detect(file) : format;
    List<String> fields = spec.textFields().isEmpty() ? f.defaultTextFields() : spec.textFields();
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("--text-fields is required for catalog format " + f);
    }
    String imageField = spec.imageField() != null ? spec.imageField() : f.defaultImageField();
    List<CatalogItem> raw = new ArrayList<>();
    String idField;
    switch (f) {
      case RECBOLE:
      case TSV:
        idField = readDelimited(file, '\t', false, f == CatalogFormat.RECBOLE, spec.idField(), imageField, raw);
        break;
      case CSV:
        idField = readDelimited(file, ',', true, false, spec.idField(), imageField, raw);
        break;
      case HM:
        String n = file.getFileName().toString().toLowerCase();
        idField = spec.idField() != null ? spec.idField() : f.defaultIdField();
        if (n.endsWith(".csv") || n.endsWith(".csv.gz")) {
          readDelimited(file, ',', true, false, idField, imageField, raw);
        } else {
          readJsonLines(file, f, idField, imageField, raw);
        }
        break;
      default:
        idField = spec.idField() != null ? spec.idField() : f.defaultIdField();
        if (idField == null) {
          throw new IllegalArgumentException("--id-field is required for catalog format " + f);
        }
        readJsonLines(file, f, idField, imageField, raw);
    }
    // dedupe, keep first
    Set<String> seen = new HashSet<>();
    List<CatalogItem> items = new ArrayList<>(raw.size());
    int dup = 0;
    for (CatalogItem it : raw) {
      if (seen.add(it.id())) {
        items.add(it);
      } else {
        dup++;
      }
    }
    if (dup > 0) {
      LOG.warn("{}: {} rows repeat an earlier id and were skipped (first occurrence kept)", file, dup);
    }
    if (items.isEmpty()) {
      throw new DataFormatException(file, 0, null, "catalog has no items");
    }
    for (String tf : fields) {
      boolean any = false;
      Set<String> available = new LinkedHashSet<>();
      for (CatalogItem it : items) {
        if (it.fields().containsKey(tf)) {
          any = true;
          break;
        }
        if (available.size() < 64) {
          available.addAll(it.fields().keySet());
        }
      }
      if (!any) {
        if (!spec.textFields().isEmpty()) {
          throw new DataFormatException(file, 0, tf, "no item has this text field (fields seen: " + available
              + ")");
        }
        LOG.warn("{}: no item has the default text field '{}': every item gets the 'Missing.' filler", file, tf);
      }
    }
    return new Result(items, dup, fields, idField);
  }

  static BufferedReader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  private static void readJsonLines(Path file, CatalogFormat f, String idField, String imageField,
      List<CatalogItem> out) {
    try (BufferedReader r = open(file)) {
      String line;
      long ln = 0;
      while ((line = r.readLine()) != null) {
        ln++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        if (f == CatalogFormat.AMAZON2014) {
          try {
            node = PyLiteral.parse(line);
          } catch (IllegalArgumentException e) {
            // some 2014 dumps are strict JSON
            try {
              node = JSON.readTree(line);
            } catch (JsonProcessingException je) {
              throw new DataFormatException(file, ln, null, "not a Python dict literal: " + e.getMessage());
            }
          }
        } else {
          try {
            node = JSON.readTree(line);
          } catch (JsonProcessingException e) {
            throw new DataFormatException(file, ln, null, "bad JSON: " + e.getOriginalMessage());
          }
        }
        if (!node.isObject()) {
          throw new DataFormatException(file, ln, null, "expected one object per line");
        }
        JsonNode idNode = node.get(idField);
        if (idNode == null || idNode.isNull() || idNode.asText().isBlank()) {
          throw new DataFormatException(file, ln, idField, "missing item id");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String v = flatten(e.getValue());
          if (v != null) {
            fields.put(e.getKey(), v);
          }
        }
        canonicalize(f, node, fields);
        String image = imageField == null ? null : imageRef(node.get(imageField));
        out.add(new CatalogItem(idNode.asText().trim(), fields, image, ln));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalog " + file, e);
    }
  }

  /** Maps Amazon field names onto title / brand / categories / description. */
  private static void canonicalize(CatalogFormat f, JsonNode node, Map<String, String> fields) {
    switch (f) {
      case AMAZON2018:
        putIfPresent(fields, "categories", flatten(node.get("category")));
        break;
      case AMAZON2023:
        String brand = flatten(node.get("store"));
        JsonNode details = node.get("details");
        if (details != null && details.isObject() && details.hasNonNull("Brand")) {
          brand = flatten(details.get("Brand"));
        }
        putIfPresent(fields, "brand", brand);
        String cats = flatten(node.get("categories"));
        if (cats == null || cats.isBlank()) {
          cats = flatten(node.get("main_category"));
        }
        putIfPresent(fields, "categories", cats);
        break;
      default:
        break;
    }
  }

  private static void putIfPresent(Map<String, String> m, String k, String v) {
    if (v != null && !v.isBlank()) {
      m.put(k, v);
    }
  }

  /** First image reference of a node: a string, the first element of a list, or an object's URL field. */
  static String imageRef(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isArray()) {
      return n.size() == 0 ? null : imageRef(n.get(0));
    }
    if (n.isObject()) {
      for (String k : new String[] {"path", "hi_res", "large", "thumb", "url"}) {
        if (n.hasNonNull(k)) {
          return n.get(k).asText();
        }
      }
      return null;
    }
    String s = n.asText().trim();
    return s.isEmpty() ? null : s;
  }

  /**
   * A JSON value as text: strings (HTML entities decoded), numbers, booleans; arrays of scalars joined by a
   * space; an array of arrays gives its first element (Amazon category paths, as CLIPER does); objects as
   * compact JSON. Null for null / empty.
   */
  static String flatten(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isTextual()) {
      return unescapeHtml(n.textValue());
    }
    if (n.isArray()) {
      if (n.size() == 0) {
        return null;
      }
      if (n.get(0).isArray()) {
        return flatten(n.get(0));
      }
      StringBuilder sb = new StringBuilder();
      for (JsonNode e : n) {
        String s = flatten(e);
        if (s != null && !s.isBlank()) {
          if (sb.length() > 0) {
            sb.append(' ');
          }
          sb.append(s.strip());
        }
      }
      return sb.length() == 0 ? null : sb.toString();
    }
    if (n.isObject()) {
      return n.size() == 0 ? null : n.toString();
    }
    return n.asText();
  }

  /** Decodes the HTML character references that occur in Amazon strings ({@link HtmlEntities}). */
  static String unescapeHtml(String s) {
    return HtmlEntities.decode(s);
  }

  /**
   * Delimited text with a header. RecBole headers are {@code name:type} (the type is dropped; the id is the
   * first column unless named).
   *
   * @return the id field in effect
   */
  private static String readDelimited(Path file, char sep, boolean quoted, boolean recbole, String idField,
      String imageField, List<CatalogItem> out) {
    try (BufferedReader r = open(file)) {
      DelimitedParser p = new DelimitedParser(r, sep, quoted);
      List<String> header = p.next();
      if (header == null) {
        throw new DataFormatException(file, 1, null, "empty file (a header line is expected)");
      }
      List<String> names = new ArrayList<>();
      for (String h : header) {
        String name = h.strip();
        if (recbole) {
          int c = name.indexOf(':');
          name = c >= 0 ? name.substring(0, c) : name;
        }
        if (names.isEmpty() && name.startsWith("\uFEFF")) {
          name = name.substring(1);
        }
        names.add(name);
      }
      String id = idField != null ? idField : recbole ? names.get(0) : null;
      if (id == null) {
        throw new IllegalArgumentException("--id-field is required for " + file + " (columns: " + names + ")");
      }
      int idCol = names.indexOf(id);
      if (idCol < 0) {
        throw new DataFormatException(file, 1, id, "no such column (columns: " + names + ")");
      }
      int imgCol = imageField == null ? -1 : names.indexOf(imageField);
      if (imageField != null && imgCol < 0) {
        throw new DataFormatException(file, 1, imageField, "no such column (columns: " + names + ")");
      }
      List<String> row;
      while ((row = p.next()) != null) {
        long ln = p.recordLine();
        if (row.size() == 1 && row.get(0).isBlank()) {
          continue;
        }
        if (row.size() != names.size()) {
          throw new DataFormatException(file, ln, null, "expected " + names.size() + " columns, found "
              + row.size());
        }
        String idv = row.get(idCol).strip();
        if (idv.isEmpty()) {
          throw new DataFormatException(file, ln, id, "missing item id");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
          String v = row.get(c);
          if (!v.isEmpty()) {
            fields.put(names.get(c), unescapeHtml(v));
          }
        }
        String img = imgCol < 0 || row.get(imgCol).isBlank() ? null : row.get(imgCol).strip();
        out.add(new CatalogItem(idv, fields, img, ln));
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalog " + file, e);
    } catch (DelimitedParser.ParseError e) {
      throw new DataFormatException(file, e.line, null, e.getMessage());
    }
  }
}
