package io.cliprec.encode.catalog;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes HTML character references in catalog strings: numeric ({@code &#39;}, {@code &#x27;}), the XML
 * five, the HTML 4 Latin-1 names ({@code &reg;}, {@code &eacute;}, {@code &frac12;}, ... code points
 * 160-255) and the typographic symbols seen in Amazon metadata ({@code &trade;}, {@code &bull;},
 * {@code &hearts;}, dashes and quotes). {@code &nbsp;} becomes a plain space; doubly escaped references
 * ({@code &amp;#39;}) are decoded too. Unknown names and invalid
 * code points are left as written.
 */
final class HtmlEntities {
  private static final Pattern REF = Pattern.compile("&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,7});");

  /** HTML 4 names of code points 160..255, in order. */
  private static final String[] LATIN1 = ("nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo "
      + "not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 "
      + "frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave "
      + "Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml "
      + "Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml "
      + "igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute "
      + "ucirc uuml yacute thorn yuml").split(" ");

  private static final Map<String, String> NAMED = new HashMap<>();

  static {
    if (LATIN1.length != 96) {
      throw new AssertionError("Latin-1 entity table has " + LATIN1.length + " names, expected 96");
    }
    for (int i = 0; i < LATIN1.length; i++) {
      NAMED.put(LATIN1[i], String.valueOf((char) (160 + i)));
    }
    Object[] more = {"amp", '&', "lt", '<', "gt", '>', "quot", '"', "apos", '\'', "nbsp", ' ',
        "OElig", 338, "oelig", 339, "Scaron", 352, "scaron", 353, "Yuml", 376, "fnof", 402, "circ", 710,
        "tilde", 732, "ensp", 8194, "emsp", 8195, "thinsp", 8201, "ndash", 8211, "mdash", 8212,
        "lsquo", 8216, "rsquo", 8217, "sbquo", 8218, "ldquo", 8220, "rdquo", 8221, "bdquo", 8222,
        "dagger", 8224, "Dagger", 8225, "bull", 8226, "hellip", 8230, "permil", 8240, "prime", 8242,
        "lsaquo", 8249, "rsaquo", 8250, "euro", 8364, "trade", 8482, "larr", 8592, "rarr", 8594,
        "spades", 9824, "clubs", 9827, "hearts", 9829, "diams", 9830};
    for (int i = 0; i < more.length; i += 2) {
      Object v = more[i + 1];
      NAMED.put((String) more[i], v instanceof Character c ? String.valueOf(c)
          : new String(Character.toChars((Integer) v)));
    }
  }

  private HtmlEntities() {}

  /**
   * {@code s} with every known character reference replaced by its character; a second pass decodes
   * doubly escaped references ({@code &amp;#39;}, seen in Amazon metadata).
   */
  static String decode(String s) {
    String once = decodeOnce(s);
    return once.equals(s) || once.indexOf('&') < 0 ? once : decodeOnce(once);
  }

  private static String decodeOnce(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = REF.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String rep = m.group();
      if (e.charAt(0) == '#') {
        boolean hex = e.length() > 1 && (e.charAt(1) == 'x' || e.charAt(1) == 'X');
        int cp = hex ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
        if (Character.isValidCodePoint(cp)) {
          rep = new String(Character.toChars(cp));
        }
      } else {
        rep = NAMED.getOrDefault(e, rep);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(rep));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
