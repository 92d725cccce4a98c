"""The one input layer: field checks (:mod:`.fields`) and the JSON codec (:mod:`.codec`).

Every method of every backend checks what callers pass here, with one rule
set, so the same odd value gets the same outcome everywhere.
"""
