/** Flat key/value configuration loaded from YAML with command-line overrides. */
package io.cliprec.core.config;
