package io.cliprec.encode.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Parser for the Python literal subset of the Amazon 2014 metadata ({@code eval} per line): dicts, lists,
 * tuples, single/double-quoted strings with escapes, ints, floats, {@code True/False/None}. Produces Jackson
 * nodes so every catalog format shares one flattening.
 */
final class PyLiteral {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final String s;
  private int p;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** Parses one literal; throws IllegalArgumentException with the character offset on bad input. */
  static JsonNode parse(String s) {
    PyLiteral r = new PyLiteral(s);
    JsonNode n = r.value();
    r.ws();
    if (r.p != s.length()) {
      throw r.error("trailing characters");
    }
    return n;
  }

  private IllegalArgumentException error(String msg) {
    return new IllegalArgumentException(msg + " at character " + (p + 1));
  }

  private void ws() {
    while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
      p++;
    }
  }

  private JsonNode value() {
    ws();
    if (p >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(p);
    switch (c) {
      case '{':
        return dict();
      case '[':
        return seq(']');
      case '(':
        return seq(')');
      case '\'':
      case '"':
        return F.textNode(string());
      default:
        if (s.startsWith("True", p)) {
          p += 4;
          return F.booleanNode(true);
        }
        if (s.startsWith("False", p)) {
          p += 5;
          return F.booleanNode(false);
        }
        if (s.startsWith("None", p)) {
          p += 4;
          return F.nullNode();
        }
        return number();
    }
  }

  private ObjectNode dict() {
    ObjectNode o = F.objectNode();
    p++;
    ws();
    if (p < s.length() && s.charAt(p) == '}') {
      p++;
      return o;
    }
    while (true) {
      JsonNode k = value();
      ws();
      expect(':');
      JsonNode v = value();
      o.set(k.isTextual() ? k.textValue() : k.toString(), v);
      ws();
      if (p < s.length() && s.charAt(p) == ',') {
        p++;
        ws();
        if (p < s.length() && s.charAt(p) == '}') {
          p++;
          return o;
        }
        continue;
      }
      expect('}');
      return o;
    }
  }

  private ArrayNode seq(char close) {
    ArrayNode a = F.arrayNode();
    p++;
    ws();
    if (p < s.length() && s.charAt(p) == close) {
      p++;
      return a;
    }
    while (true) {
      a.add(value());
      ws();
      if (p < s.length() && s.charAt(p) == ',') {
        p++;
        ws();
        if (p < s.length() && s.charAt(p) == close) {
          p++;
          return a;
        }
        continue;
      }
      expect(close);
      return a;
    }
  }

  private void expect(char c) {
    if (p >= s.length() || s.charAt(p) != c) {
      throw error("expected '" + c + "'");
    }
    p++;
  }

  private String string() {
    char q = s.charAt(p++);
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (p >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(p++);
      if (c == q) {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (p >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(p++);
      switch (e) {
        case 'n':
          sb.append('\n');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 'x':
          sb.append((char) Integer.parseInt(s.substring(p, p + 2), 16));
          p += 2;
          break;
        case 'u':
          sb.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
          p += 4;
          break;
        case 'U':
          sb.appendCodePoint(Integer.parseInt(s.substring(p, p + 8), 16));
          p += 8;
          break;
        case '\n':
          break;
        default:
          sb.append(e);
      }
    }
  }

  private JsonNode number() {
    int start = p;
    while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
      p++;
    }
    String t = s.substring(start, p);
    if (t.isEmpty()) {
      throw error("unexpected character '" + s.charAt(p) + "'");
    }
    try {
      if (t.contains(".") || t.contains("e") || t.contains("E")) {
        return F.numberNode(Double.parseDouble(t));
      }
      return F.numberNode(Long.parseLong(t));
    } catch (NumberFormatException ex) {
      throw error("bad number '" + t + "'");
    }
  }
}
