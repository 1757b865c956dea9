"""Double-A enterprises (双A企业): the join of the tax and public-evaluation lists, per
county, with problems and the change from last year (:mod:`.compute`), and the clerk's
workbook and detail csv (:mod:`.workbook`)."""
