"""Rating counts per domain: numbers and counts as departments write them
(:mod:`.numbers`, :mod:`.counts`), the levels of each scale (:mod:`.levels`), counts read
from prose (:mod:`.text`) and from entity lists (:mod:`.lists`), reconciled per domain and
mapped onto the unified tiers (:mod:`.report`)."""
