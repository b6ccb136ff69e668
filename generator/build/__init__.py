"""The build machinery, engine-free: caches (rendered Markdown, feed entries, cards),
page fingerprints and reuse, work split across processes, the search index, the
publish step and the swap of the finished site.

Imports `generator.content` and `generator.site`; never preview or engine.
"""
