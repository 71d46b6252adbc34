package io.cliprec.core.split;

import io.cliprec.core.data.Interactions;

/** Rows grouped by user in CSR form: rows of user u are {@code rows[start[u]..start[u+1])}, in row order. */
final class UserGroups {
  final int[] start;
  final int[] rows;

  UserGroups(Interactions in, int numUsers) {
    start = new int[numUsers + 1];
    int n = in.size();
    for (int r = 0; r < n; r++) {
      start[in.user(r) + 1]++;
    }
    for (int u = 0; u < numUsers; u++) {
      start[u + 1] += start[u];
    }
    int[] fill = start.clone();
    rows = new int[n];
    for (int r = 0; r < n; r++) {
      rows[fill[in.user(r)]++] = r;
    }
  }
}
