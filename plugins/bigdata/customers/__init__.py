"""Customers (issue 12 item 5, second half): sales cycle, the conversion funnel by registration cohort,
the distribution of member_tiers' value grades and the 8-segment RFM view with payment behaviour.

- ``measures``: the pure calculations, whose docstring defines every number;
- ``selectors``: one row per company from the kernel's tables, member_tiers' selectors and the
  sales facts (grouped in SQL; a fixed number of queries), and which filters each report obeys;
- ``reports``: what the pages (``views``) and the GraphQL API (``graphql``) both show;
- payment behaviour comes from finance (``plugins.finance.selectors.payment_behaviour``) when it is
  installed; value grades from member_tiers (``member_dimensions``) when it is installed.

Who sees what: operators everything; a salesperson, in the company-based reports (funnel, value
grades), the companies they own now in member_tiers plus those with a sale credited to them, and in
the sales-based reports (cycle, RFM) only the sales credited to them — as every analytics page.
"""
