"""The analytics screens' shell (back office, 数据分析): the filter bar every chart and table obeys,
who sees what (operators everything, a salesperson only the sales credited to them), tables that
export to CSV and XLSX, and charts drawn offline by the vendored ECharts. The areas (regions, abc,
performance, customers, marketing) build their pages on ``views.AnalyticsView``."""
