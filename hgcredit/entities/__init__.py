"""Market entities: unified social credit codes and legacy tax ids checked whole columns
at once (:mod:`.codes`), and the one reader of entity lists — public evaluation, tax
ratings, domain lists, earlier double-A lists — with columns found by header role
(:mod:`.lists`)."""
