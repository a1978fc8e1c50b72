"""Danish dates as Danish documents write them ("1. august 2013", "1. august 2013 kl. 14.05")."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y \\k\\l. H.i"
SHORT_DATE_FORMAT = "j. M Y"
SHORT_DATETIME_FORMAT = "j. M Y \\k\\l. H.i"
