"""The work ledger (工作推进台账): recognise returns and read them (:mod:`.read`), merge them
into one ledger (:mod:`.model`), write it in the office's layout (:mod:`.write`), tell a
placeholder from a report (:mod:`.placeholders`) and check a month (:mod:`.check`)."""
