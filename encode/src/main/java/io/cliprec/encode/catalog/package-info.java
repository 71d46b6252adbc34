/** Catalog readers: Amazon 2014/2018/2023 metadata, RecBole .item/.text, H&amp;M articles and generic JSONL/CSV/TSV, flattened to CatalogItems. */
package io.cliprec.encode.catalog;
