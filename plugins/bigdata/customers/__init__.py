"""Customers (issue 12 item 5, second half): sales cycle, the conversion funnel by registration cohort,
the distribution of member_tiers' value grades and the 8-segment RFM view with payment behaviour."""
