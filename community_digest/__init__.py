"""The hub's e-mail digest: select what is new, render it, archive it, send it."""
