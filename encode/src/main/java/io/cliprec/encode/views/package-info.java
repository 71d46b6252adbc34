/** CLIPER multi-view prompts: per-field templates, the "Missing." filler, the global view, raw mode and long-text chunking. */
package io.cliprec.encode.views;
