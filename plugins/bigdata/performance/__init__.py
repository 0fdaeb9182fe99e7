"""Sales performance and targets (issue 12 item 5, first half): net revenue, orders, average order
value, new vs repeat companies, repurchase rate, growth; by salesperson, region, category, supplier,
tier; targets with achievement, ranking and a weighted score."""
