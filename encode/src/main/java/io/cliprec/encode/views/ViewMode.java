package io.cliprec.encode.views;

/** How catalog fields become texts. */
public enum ViewMode {
  /** One view: the listed fields' values joined by a space, no template. */
  RAW,
  /** CLIPER: one templated view per field plus a global view concatenating them. */
  CLIPER
}
