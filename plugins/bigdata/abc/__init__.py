"""ABC analysis (issue 12 item 3): runs by revenue, quantity or gross margin, per province / supplier /
category, stored with their cut-offs; class changes between runs; the latest class per product; ABC-
XYZ.

Pages (back office, 数据分析; paths under /dashboard/analytics/abc/):

==========================  ===================  ==============================================
URL name (bigdata-dashboard)  who                what
==========================  ===================  ==============================================
abc                         operators, sales     live ABC: Pareto chart, class counts and value
                                                 shares, the products (CSV/XLSX), measure /
                                                 scope / cut-offs beside the filter bar; "save
                                                 as run" for operators
abc-xyz                     operators, sales     the ABC-XYZ 3×3 matrix (counts, value shares)
abc-runs                    operators            stored runs; choose two to compare
abc-run                     operators            one run: parameters, chart, matrix, products
abc-compare                 operators            ?base=&other=: up / down / new / gone, counts
                                                 per transition, the changed products
abc-classes                 operators            the latest class of every product (daily run):
                                                 filter ?grade=A|B|C|N&xyz=X|Y|Z|-&q=<sku or
                                                 title>; each row links to Oscar's product editor
==========================  ===================  ==============================================

Decisions:

- A salesperson's live analysis counts only the sales credited to them (the shell's scoped
  filters). Stored runs, their comparison and the product classes are computed over every sale,
  so they are the operators' alone (pages and GraphQL); a salesperson cannot store a run.
- The daily run (Celery beat ``bigdata-abc-daily``, 02:30 Asia/Shanghai) covers the last 365 days
  up to yesterday, overall, by revenue, with the default cut-offs (80 / 95 %, XYZ 0.5 / 1.0); it
  replaces ``ProductClass`` in the same transaction and is stored once per day.
- Never-sold catalogue products are added as N with value 0 to overall analyses whose filters
  restrict nothing but the period (so the daily classes cover the whole catalogue); see
  ``analysis``.
- XYZ measures demand as net quantity per month, whatever the ABC measure.
- Oscar's product list is not edited: the product-class page is the filter (linked per product to
  the product editor).
"""
