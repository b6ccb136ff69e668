"""Finding a mentor: the one scoring rule, the coordinator's matching and the pairing kit.

Pure domain over the content model (generator.content.records): no engine, no templates.
`scoring` is the rule the questionnaire page applies too (from the JSON `catalog`
writes); `answers` reads a cohort's CSV, `matching` pairs it within capacity, `kit`
writes each pair's plan and calendar, and `cli` is `hub mentoring`.
"""
