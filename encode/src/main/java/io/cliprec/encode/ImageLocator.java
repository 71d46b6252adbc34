package io.cliprec.encode;

import io.cliprec.encode.catalog.CatalogItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Finds the image file of a catalog item. Order: the catalog's image reference (a path, relative to the
 * images directory when given, else to the catalog's directory; URLs are not downloaded), then in the images
 * directory {@code <id>.jpg|jpeg|png|webp|bmp|gif} (any case), then H&amp;M's conventions: the id
 * zero-padded to 10 digits, and the Kaggle layout {@code <first 3 of padded id>/<padded id>.jpg}.
 */
final class ImageLocator {
  private static final String[] EXT = {"jpg", "jpeg", "png", "webp", "bmp", "gif", "JPG", "JPEG", "PNG", "WEBP"};

  private final Path imagesDir;
  private final Path catalogDir;

  ImageLocator(Path imagesDir, Path catalogFile) {
    this.imagesDir = imagesDir;
    Path parent = catalogFile.toAbsolutePath().getParent();
    this.catalogDir = parent == null ? Path.of(".") : parent;
  }

  /** Result: a path (possibly missing on disk) or the reason there is none. */
  static final class Found {
    final Path path;
    final String reason;

    Found(Path path, String reason) {
      this.path = path;
      this.reason = reason;
    }
  }

  Found locate(CatalogItem item) {
    String ref = item.imageRef();
    if (ref != null) {
      String low = ref.toLowerCase(Locale.ROOT);
      if (low.startsWith("http://") || low.startsWith("https://")) {
        Path byId = imagesDir == null ? null : byId(item.id());
        if (byId != null) {
          return new Found(byId, null);
        }
        return new Found(null, "image is a URL (" + ref + "); cliprec does not download: put files in --images");
      }
      Path p = Path.of(ref);
      if (!p.isAbsolute()) {
        Path base = imagesDir != null ? imagesDir : catalogDir;
        p = base.resolve(ref);
      }
      if (Files.isRegularFile(p)) {
        return new Found(p, null);
      }
      Path byId = imagesDir == null ? null : byId(item.id());
      return byId != null ? new Found(byId, null) : new Found(p, null);
    }
    if (imagesDir == null) {
      return new Found(null, "no image reference and no --images directory");
    }
    Path byId = byId(item.id());
    return byId != null ? new Found(byId, null) : new Found(null, "no <id>.jpg|png|webp in " + imagesDir);
  }

  private Path byId(String id) {
    Path p = tryExt(imagesDir, id);
    if (p != null) {
      return p;
    }
    if (id.matches("\\d{1,9}")) {
      String padded = "0".repeat(10 - id.length()) + id;
      p = tryExt(imagesDir, padded);
      if (p != null) {
        return p;
      }
      p = tryExt(imagesDir.resolve(padded.substring(0, 3)), padded);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static Path tryExt(Path dir, String stem) {
    for (String e : EXT) {
      Path p = dir.resolve(stem + "." + e);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
