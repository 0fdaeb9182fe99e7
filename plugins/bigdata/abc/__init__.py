"""ABC analysis (issue 12 item 3): runs by revenue, quantity or gross margin, per province / supplier /
category, stored with their cut-offs; class changes between runs; the latest class per product; ABC-
XYZ."""
