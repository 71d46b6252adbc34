/** Collaborative-filtering recommenders without a graph: BPR matrix factorisation ({@code bpr}). */
package io.cliprec.models.cf;
