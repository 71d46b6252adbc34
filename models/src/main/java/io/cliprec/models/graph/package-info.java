/**
 * Graph recommenders and their sparse kernels: the symmetric normalised user–item adjacency
 * {@code Â = D^-1/2 A D^-1/2} ({@link io.cliprec.models.graph.NormalizedAdjacency}), LightGCN's layer-mean
 * propagation as a Java CSR op with explicit backward ({@link io.cliprec.models.graph.LightGcnPropagation},
 * Vector API row axpy, parallel over nnz-balanced row blocks) and the {@code lightgcn} recommender.
 */
package io.cliprec.models.graph;
