"""Marketing return (issue 12 item 6): each campaign's cost (discounts given plus budget) against
attributed net revenue, orders and new companies; ROI and trend."""
