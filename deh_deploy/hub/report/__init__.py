"""The report: whether the promise was kept and what people are telling us, from the feedback records.

``figures`` computes the numbers (pure, typed), ``clock`` measures time in the hub's working hours, ``export``
writes the records in the IFRC coding framework's columns, ``page`` draws the HTML page with its SVG plots, and
``demo`` fills a hub with months of generated contacts through the inbox.
"""
