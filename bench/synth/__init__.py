"""A seeded synthetic Mobility Hub for benchmarks: vocabulary, prose, corpus and writers."""
