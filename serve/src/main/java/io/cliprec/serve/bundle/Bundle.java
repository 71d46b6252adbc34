package io.cliprec.serve.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cliprec.core.data.CsrMatrix;
import io.cliprec.core.data.Dataset;
import io.cliprec.core.data.IdIndex;
import io.cliprec.core.data.Interactions;
import io.cliprec.core.data.Split;
import io.cliprec.core.features.FloatMatrix;
import io.cliprec.core.features.ItemFeatures;
import io.cliprec.core.run.RunRecord;
import io.cliprec.models.Models;
import io.cliprec.models.SessionEncoder;
import io.cliprec.models.TrainedModel;
import io.cliprec.serve.encode.EncoderSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A self-contained, versioned directory holding everything needed to serve a trained model, and nothing
 * that points back at the training machine's files. Immutable once loaded; thread-safe.
 *
 * <h2>Layout (format {@value #FORMAT}, version {@value #VERSION}.{@value #MINOR_VERSION})</h2>
 * <pre>
 * manifest.json          format + version (major) + minor_version, created (UTC ISO-8601),
 *                        model {name, users, items, dim, seen_nnz, session_encoder},
 *                        provenance {model, config, seed, dataset {name, hash, ...}, versions, metrics},
 *                        features {modalities, provenance} or null, encoder {type, config},
 *                        files {relative path: {bytes, sha256}} (checked on load)
 * model/                 the model as saved by TrainedModel.save (user_factors.npy [U, d],
 *                        item_factors.npy [I, d], model.json; sequential models add
 *                        session_encoder/: the network that encodes a session, e.g. SASRec's weights)
 * users.txt, items.txt   external ids, one per line, line r = dense index r (UTF-8, '\n')
 * seen/indptr.npy        int32 [U + 1]; seen/indices.npy int32 [nnz]: CSR of every item each user
 *                        interacted with in train + valid + test (for exclude_seen), rows sorted
 * features/              item features (ItemFeatures on-disk layout, [I, d_m] per modality), if any
 * encoder.json           the item encoder configuration: {"type": "none"} when the run's features were
 *                        not written by 'cliprec encode' (or the run had none), else the encoder that
 *                        made them: type minilm | onnx_text | clip, model paths + sha256 (never the
 *                        weights), views, templates, text fields, fusion, tau, long-text policy
 *                        (see {@link io.cliprec.serve.encode.EncoderSpec})
 * </pre>
 * {@code version} is the major version: a reader refuses bundles with a newer one. {@code minor_version}
 * counts additive changes a version-1 reader may ignore (absent = 0): 1 added
 * {@code model.session_encoder} ({@code {method, max_length, dim}} or null) and {@code model/session_encoder/}
 * (an older reader then answers sessions with the mean-of-factors fallback and says so). The encoder keys
 * ({@code encoder.json}) came before minor versions were counted: they are additive too (a bundle without
 * them reads as type {@code none}).
 * The manifest is written last and the directory is assembled under a temporary name and moved into
 * place, so a reader never sees half a bundle.
 */
public final class Bundle {
  /** Format name stamped in {@code manifest.json}. */
  public static final String FORMAT = "cliprec-bundle";
  /** Newest format version this code reads and the one it writes. */
  public static final int VERSION = 1;
  /** Minor (additive) version this code writes; any minor version of {@link #VERSION} loads. */
  public static final int MINOR_VERSION = 1;
  public static final String MANIFEST = "manifest.json";
  static final String MODEL_DIR = "model";
  static final String FEATURES_DIR = "features";
  static final String ENCODER = "encoder.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final Map<String, Object> manifest;
  private final String modelName;
  private final IdIndex users;
  private final IdIndex items;
  private final FloatMatrix userFactors;
  private final FloatMatrix itemFactors;
  private final CsrMatrix seen;
  private final ItemFeatures features;
  private final Map<String, Object> encoder;
  private final SessionEncoder sessionEncoder;

  private Bundle(Path dir, Map<String, Object> manifest, String modelName, IdIndex users, IdIndex items,
      FloatMatrix userFactors, FloatMatrix itemFactors, CsrMatrix seen, ItemFeatures features,
      Map<String, Object> encoder, SessionEncoder sessionEncoder) {
    this.dir = dir;
    this.sessionEncoder = sessionEncoder;
    this.manifest = Collections.unmodifiableMap(manifest);
    this.modelName = modelName;
    this.users = users;
    this.items = items;
    this.userFactors = userFactors;
    this.itemFactors = itemFactors;
    this.seen = seen;
    this.features = features;
    this.encoder = Collections.unmodifiableMap(encoder);
  }

  /** Directory it was loaded from. */
  public Path dir() {
    return dir;
  }

  /** The parsed {@code manifest.json}. */
  public Map<String, Object> manifest() {
    return manifest;
  }

  /** Registry name of the model ({@code bpr}, {@code lightgcn}, ...). */
  public String modelName() {
    return modelName;
  }

  /** External user ids &harr; rows of {@link #userFactors()} and {@link #seen()}. */
  public IdIndex users() {
    return users;
  }

  /** External item ids &harr; rows of {@link #itemFactors()} and of every feature matrix. */
  public IdIndex items() {
    return items;
  }

  /** {@code [numUsers, d]}. */
  public FloatMatrix userFactors() {
    return userFactors;
  }

  /** {@code [numItems, d]}. */
  public FloatMatrix itemFactors() {
    return itemFactors;
  }

  /** {@code [numUsers, numItems]} binary: items each user interacted with (train + valid + test). */
  public CsrMatrix seen() {
    return seen;
  }

  /** Item features ({@code [numItems, d_m]} per modality) or null when the run had none. */
  public ItemFeatures features() {
    return features;
  }

  /** The encoder configuration; {@code type} is {@code "none"} when no encoder is bundled. */
  public Map<String, Object> encoder() {
    return encoder;
  }

  /**
   * The sequential model's session encoder (query vectors against {@link #itemFactors()}), or null for
   * models without one (sessions then use the mean-of-factors fallback).
   */
  public SessionEncoder sessionEncoder() {
    return sessionEncoder;
  }

  /** Whether an item encoder is bundled ({@code encoder.json} type other than {@code none}). */
  public boolean hasEncoder() {
    return !"none".equals(String.valueOf(encoder.get("type")));
  }

  /**
   * Makes a bundle from a {@code cliprec train --out} run directory: its {@code run.json} (provenance),
   * {@code model/} and the item features named in {@code run.json}, plus the ids and seen items of
   * {@code data}, which must be the dataset the run was trained on (same content hash).
   *
   * @param data the run's dataset (the CLI reloads it from {@code run.json})
   * @param out bundle directory to create; must not exist or be empty
   */
  public static void fromRun(Path runDir, Dataset data, Path out) throws IOException {
    fromRun(runDir, data, out, null, null);
  }

  /**
   * As {@link #fromRun(Path, Dataset, Path)}, with item features given here instead of the run's (e.g. to
   * attach an encoder to an ID-only run, so the encode route works).
   *
   * @param featuresDir item features ({@code [items, d_m]} per modality, rows = the dataset's items) or
   *     null for the run's own
   * @param encoder the encoder that made them ({@link EncoderSpec#declared}), or null to take it from the
   *     encode manifest in the features directory (none when there is none)
   * @throws IllegalArgumentException when the features do not fit the dataset or the encoder's widths
   */
  public static void fromRun(Path runDir, Dataset data, Path out, Path featuresDir, Map<String, Object> encoder)
      throws IOException {
    RunRecord rec = RunRecord.read(runDir);
    Map<String, Object> d = rec.section("dataset");
    Object hash = d.get("hash");
    if (hash != null && !hash.toString().equals(data.contentHash())) {
      throw new IllegalArgumentException("dataset hash " + data.contentHash() + " differs from "
          + runDir.resolve(RunRecord.FILE) + " (" + hash + "): not the data this run was trained on");
    }
    TrainedModel model = Models.load(runDir.resolve(MODEL_DIR));
    ItemFeatures feats = null;
    Object f = rec.get("features");
    if (featuresDir != null) {
      feats = ItemFeatures.read(featuresDir).validateRows(data.numItems(), data.name());
      if (encoder == null) {
        encoder = EncoderSpec.fromFeatures(featuresDir);
      }
      if (encoder != null) {
        checkWidth(feats, "text", EncoderSpec.textDim(encoder), featuresDir);
        checkWidth(feats, "image", EncoderSpec.imageDim(encoder), featuresDir);
      }
    } else if (f instanceof Map && ((Map<?, ?>) f).get("path") != null) {
      Path fp = Path.of(((Map<?, ?>) f).get("path").toString());
      feats = ItemFeatures.read(fp).validateRows(data.numItems(), data.name());
      encoder = EncoderSpec.fromFeatures(fp);
      Object mods = ((Map<?, ?>) f).get("modalities");
      if (mods instanceof List) {
        List<String> names = new ArrayList<>();
        for (Object o : (List<?>) mods) {
          names.add(o.toString());
        }
        feats = feats.select(names);
      }
    }
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("model", rec.get("model"));
    prov.put("config", rec.get("config"));
    prov.put("seed", rec.get("seed"));
    prov.put("dataset", rec.get("dataset"));
    prov.put("versions", rec.get("versions"));
    prov.put("metrics", rec.get("metrics"));
    prov.put("run", runDir.toAbsolutePath().normalize().toString());
    if (featuresDir != null) {
      prov.put("features_attached", featuresDir.toAbsolutePath().normalize().toString());
    }
    write(out, model, data.users(), data.items(), seenMatrix(data), feats, prov, encoder);
  }

  private static void checkWidth(ItemFeatures feats, String modality, Integer dim, Path dir) {
    if (dim == null) {
      return;
    }
    if (!feats.has(modality)) {
      if (modality.equals("text")) {
        throw new IllegalArgumentException(dir + " has no 'text' features (text_feat.npy) to compare new "
            + "items with; it has " + feats.names());
      }
      return;
    }
    int have = feats.get(modality).cols();
    if (have != dim) {
      throw new IllegalArgumentException(dir + ": '" + modality + "' features are " + have + " wide but the "
          + "encoder produces " + dim + ": they were not made by this encoder");
    }
  }

  /** Every item each user interacted with in train, valid and test. */
  public static CsrMatrix seenMatrix(Dataset ds) {
    Interactions all = Interactions.concat(Interactions.concat(ds.train(), ds.valid()), ds.test());
    return all.toUserItemMatrix(ds.numUsers(), ds.numItems());
  }

  /**
   * Writes a bundle into {@code out} (must not exist or be an empty directory), atomically.
   *
   * @param model dot-product model; its {@code userFactors(TEST)} {@code [users.size(), d]} and
   *     {@code itemFactors()} {@code [items.size(), d]} are what is served
   * @param seen {@code [users.size(), items.size()]} binary, or null for none
   * @param features {@code [items.size(), d_m]} per modality, or null
   * @param provenance free JSON-compatible values (model, config, seed, dataset, versions, ...)
   */
  public static void write(Path out, TrainedModel model, IdIndex users, IdIndex items, CsrMatrix seen,
      ItemFeatures features, Map<String, Object> provenance) throws IOException {
    write(out, model, users, items, seen, features, provenance, null);
  }

  /**
   * As {@link #write(Path, TrainedModel, IdIndex, IdIndex, CsrMatrix, ItemFeatures, Map)}, with the item
   * encoder that produced {@code features} ({@link EncoderSpec#fromFeatures}; null = none). An encoder
   * needs features: new items are compared against them.
   */
  public static void write(Path out, TrainedModel model, IdIndex users, IdIndex items, CsrMatrix seen,
      ItemFeatures features, Map<String, Object> provenance, Map<String, Object> encoder) throws IOException {
    if (encoder != null && features == null) {
      throw new IllegalArgumentException("an item encoder is only bundled together with the features it made");
    }
    FloatMatrix u = model.userFactors(Split.TEST);
    FloatMatrix v = model.itemFactors();
    if (u.rows() != users.size() || v.rows() != items.size()) {
      throw new IllegalArgumentException("model has " + u.rows() + " users x " + v.rows()
          + " items but the id maps have " + users.size() + " x " + items.size());
    }
    if (seen == null) {
      seen = new CsrMatrix(users.size(), items.size(), new int[users.size() + 1], new int[0], null);
    }
    if (seen.rows() != users.size() || seen.cols() != items.size()) {
      throw new IllegalArgumentException("seen matrix is " + seen.rows() + "x" + seen.cols());
    }
    if (features != null) {
      features.validateRows(items.size(), "bundle items");
    }
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new IOException(target + " already exists and is not empty");
        }
      }
    }
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp");
    try {
      model.save(tmp.resolve(MODEL_DIR));
      writeIds(tmp.resolve("users.txt"), users, "user");
      writeIds(tmp.resolve("items.txt"), items, "item");
      Files.createDirectories(tmp.resolve("seen"));
      IntNpy.write(tmp.resolve("seen/indptr.npy"), seen.indptr());
      IntNpy.write(tmp.resolve("seen/indices.npy"),
          Arrays.copyOf(seen.indices(), seen.nnz()));
      if (features != null) {
        features.write(tmp.resolve(FEATURES_DIR));
      }
      Map<String, Object> enc = encoder == null ? EncoderSpec.none() : encoder;
      Files.write(tmp.resolve(ENCODER), JSON.writeValueAsBytes(enc));

      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", FORMAT);
      m.put("version", VERSION);
      m.put("minor_version", MINOR_VERSION);
      m.put("created", Instant.now().toString());
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("name", model.name());
      mm.put("users", u.rows());
      mm.put("items", v.rows());
      mm.put("dim", u.cols());
      mm.put("seen_nnz", seen.nnz());
      SessionEncoder se = model.sessionEncoder();
      if (se != null) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("method", se.method());
        sm.put("max_length", se.maxLength());
        sm.put("dim", se.dim());
        mm.put("session_encoder", sm);
      } else {
        mm.put("session_encoder", null);
      }
      m.put("model", mm);
      m.put("provenance", provenance == null ? Map.of() : provenance);
      if (features != null) {
        Map<String, Object> fm = new LinkedHashMap<>();
        Map<String, Object> dims = new LinkedHashMap<>();
        features.modalities().forEach((k, mat) -> dims.put(k, mat.cols()));
        fm.put("modalities", dims);
        fm.put("provenance", features.provenance());
        m.put("features", fm);
      } else {
        m.put("features", null);
      }
      m.put("encoder", enc);
      m.put("files", checksums(tmp));
      Files.write(tmp.resolve(MANIFEST), JSON.writeValueAsBytes(m));
      if (Files.exists(target)) {
        Files.delete(target); // empty (checked above)
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      tmp = null;
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  /**
   * Loads a bundle. Fails with an {@link IOException} naming the file when the directory is not a
   * bundle, was written by a newer (or unknown) format version, or a file is missing, altered or
   * inconsistent with the manifest.
   */
  @SuppressWarnings("unchecked")
  public static Bundle load(Path dir) throws IOException {
    Path mf = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(mf)) {
      throw new IOException(dir + " is not a cliprec bundle: no " + MANIFEST
          + " (make one with 'cliprec bundle --run RUN --out DIR')");
    }
    Map<String, Object> m;
    try {
      m = JSON.readValue(mf.toFile(), LinkedHashMap.class);
    } catch (IOException e) {
      throw new IOException(mf + ": invalid JSON: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(m.get("format"))) {
      throw new IOException(mf + ": format '" + m.get("format") + "' is not '" + FORMAT + "'");
    }
    if (!(m.get("version") instanceof Number)) {
      throw new IOException(mf + ": no integer 'version'");
    }
    int version = ((Number) m.get("version")).intValue();
    if (version > VERSION) {
      throw new IOException(mf + ": bundle format version " + version + " is newer than this cliprec "
          + "supports (" + VERSION + "); upgrade cliprec or re-export the bundle with this version");
    }
    if (version < 1) {
      throw new IOException(mf + ": unknown bundle format version " + version + " (supported: 1.."
          + VERSION + ")");
    }
    Object files = m.get("files");
    if (files instanceof Map) {
      verify(dir, (Map<String, Object>) files);
    }
    Map<String, Object> mm = (Map<String, Object>) m.getOrDefault("model", Map.of());
    TrainedModel model = Models.load(dir.resolve(MODEL_DIR));
    IdIndex users = readIds(dir.resolve("users.txt"));
    IdIndex items = readIds(dir.resolve("items.txt"));
    FloatMatrix u = model.userFactors(Split.TEST);
    FloatMatrix v = model.itemFactors();
    if (u.rows() != users.size() || v.rows() != items.size()) {
      throw new IOException(dir + ": model has " + u.rows() + " users x " + v.rows() + " items but "
          + "users.txt/items.txt list " + users.size() + " x " + items.size());
    }
    int[] indptr = IntNpy.read(dir.resolve("seen/indptr.npy"));
    int[] indices = IntNpy.read(dir.resolve("seen/indices.npy"));
    if (indptr.length != users.size() + 1 || indptr[0] != 0 || indptr[users.size()] != indices.length) {
      throw new IOException(dir.resolve("seen") + ": CSR arrays do not match " + users.size() + " users");
    }
    for (int r = 0; r < users.size(); r++) {
      if (indptr[r + 1] < indptr[r]) {
        throw new IOException(dir.resolve("seen/indptr.npy") + ": decreasing at row " + r);
      }
      for (int k = indptr[r]; k < indptr[r + 1]; k++) {
        if (indices[k] < 0 || indices[k] >= items.size() || (k > indptr[r] && indices[k] <= indices[k - 1])) {
          throw new IOException(dir.resolve("seen/indices.npy") + ": row " + r
              + " is not sorted distinct item indices in [0," + items.size() + ")");
        }
      }
    }
    CsrMatrix seen = new CsrMatrix(users.size(), items.size(), indptr, indices, null);
    ItemFeatures feats = null;
    if (Files.isDirectory(dir.resolve(FEATURES_DIR))) {
      feats = ItemFeatures.read(dir.resolve(FEATURES_DIR)).validateRows(items.size(), "bundle items");
    }
    Map<String, Object> enc = Files.isRegularFile(dir.resolve(ENCODER))
        ? JSON.readValue(dir.resolve(ENCODER).toFile(), LinkedHashMap.class)
        : new LinkedHashMap<>(Map.of("type", "none"));
    String name = mm.get("name") != null ? mm.get("name").toString() : model.name();
    SessionEncoder se = model.sessionEncoder();
    if (se != null && (se.numItems() != items.size() || se.dim() != v.cols())) {
      throw new IOException(dir + ": session encoder is for " + se.numItems() + " items of width " + se.dim()
          + " but the bundle has " + items.size() + " x " + v.cols());
    }
    return new Bundle(dir, m, name, users, items, u, v, seen, feats, enc, se);
  }

  private static void writeIds(Path file, IdIndex ids, String what) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.id(i);
      if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(what + " id at index " + i + " contains a line break");
      }
      sb.append(id).append('\n');
    }
    Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static IdIndex readIds(Path file) throws IOException {
    String s = Files.readString(file, StandardCharsets.UTF_8);
    if (s.isEmpty()) {
      return IdIndex.of(List.of());
    }
    if (!s.endsWith("\n")) {
      throw new IOException(file + ": last line is not terminated (truncated file?)");
    }
    try {
      return IdIndex.of(Arrays.asList(s.substring(0, s.length() - 1).split("\n", -1)));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Relative path (with '/') &rarr; {bytes, sha256} of every file under {@code root}. */
  private static Map<String, Object> checksums(Path root) throws IOException {
    Map<String, Object> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String rel = root.relativize(f).toString().replace('\\', '/');
      if (rel.equals(MANIFEST)) {
        continue;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("bytes", Files.size(f));
      e.put("sha256", sha256(f));
      out.put(rel, e);
    }
    return out;
  }

  private static void verify(Path dir, Map<String, Object> files) throws IOException {
    for (Map.Entry<String, Object> e : files.entrySet()) {
      String rel = e.getKey();
      if (rel.startsWith("/") || rel.contains("..")) {
        throw new IOException(dir.resolve(MANIFEST) + ": bad file entry '" + rel + "'");
      }
      Path f = dir.resolve(rel);
      if (!Files.isRegularFile(f)) {
        throw new IOException(dir + ": file " + rel + " listed in " + MANIFEST + " is missing");
      }
      Object want = e.getValue() instanceof Map ? ((Map<?, ?>) e.getValue()).get("sha256") : null;
      if (want != null && !want.equals(sha256(f))) {
        throw new IOException(f + ": checksum differs from " + MANIFEST + " (file changed or corrupt)");
      }
    }
  }

  static String sha256(Path f) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(f)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public String toString() {
    return "Bundle[" + modelName + ", " + users.size() + " users x " + items.size() + " items, d="
        + itemFactors.cols() + (features == null ? "" : ", features " + features.names()) + "]";
  }
}
