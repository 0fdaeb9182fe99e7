"""Regional distribution (issue 12 item 4): revenue, orders, active companies and average order value
by province on a China map (示意图) beside a ranked table, cities on drill-down."""
