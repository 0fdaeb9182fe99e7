"""Product search: Chinese text segmented into words (jieba), operators' synonyms, ranking and
facets, on the database (the embedded default) — see README "Product search"."""
