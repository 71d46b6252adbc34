package io.cliprec.serve;

/** One ranked item: external id and score (dot product, or cosine for similar items). */
public record Scored(String item, float score) {}
