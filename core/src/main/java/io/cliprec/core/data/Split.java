package io.cliprec.core.data;

/** The three parts of a dataset. */
public enum Split {
  TRAIN,
  VALID,
  TEST
}
