"""The `hub` commands for editors and operators, and the small context they share
with the digest's commands.
"""
