"""Events: the model's rules, the admin's roles, the public list and page, the calendar files
(parsed back with icalendar, checked against RFC 5545's line rules), search, sitemap, home page,
links from the other pages, query counts, bad input and the seed event."""
