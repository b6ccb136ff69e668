"""`hub curate`: new entries of trusted partner feeds become draft curated articles.

Pure modules (`canonical`, `drafts`) turn feed entries into draft text; `ledger` keeps
what was seen in content/.curation.yml; `run` fetches, decides and writes; `cli` is the
command. It may import the content package and the digest's feed reading, never the
site, build, preview or engine packages.
"""
