/**
 * Recommender API: {@link io.cliprec.models.Recommender} (a named trainer with commented YAML defaults),
 * {@link io.cliprec.models.TrainContext} (what fit() gets), {@link io.cliprec.models.TrainedModel} (a scorer
 * that can be saved), {@link io.cliprec.models.Models#load} and the ServiceLoader-based
 * {@link io.cliprec.models.ModelRegistry}. Implementations live in {@code .cf} (BPR-MF) and {@code .graph}
 * (LightGCN); the shared training loop in {@code .train}.
 */
package io.cliprec.models;
