/**
 * Serving a trained model: {@link io.cliprec.serve.ServingIndex} answers recommendation, session and
 * similar-item queries over a loaded {@link io.cliprec.serve.bundle.Bundle} with the core top-K kernel
 * (item matrices packed once at load, nothing of size items &times; d allocated per query); the
 * {@code http} package exposes it as a JSON API.
 */
package io.cliprec.serve;
