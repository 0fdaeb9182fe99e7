"""Simplified Chinese for the Elasticsearch index of the analytics plugin (merged by bin/translations)."""

ZH_HANS = {
    "fact awaiting the search index": "待写入搜索索引的销售明细",
    "facts awaiting the search index": "待写入搜索索引的销售明细",
    "Write every stored sales fact to a new version of the Elasticsearch index, then move the index alias to it in one step (readers never see a half-built index) and drop the old versions.": "将所有已存储的销售明细写入 Elasticsearch 索引的新版本，然后一步将索引别名切换到新版本（读取方不会看到未建完的索引），并删除旧版本。",
    "facts per bulk request": "每次批量请求的明细行数",
    "ELASTICSEARCH_URL is not set: the analytics reports read PostgreSQL.": "未设置 ELASTICSEARCH_URL：数据分析报表读取 PostgreSQL。",
    "%(documents)d facts indexed into %(index)s in %(seconds).1f s; old versions removed: %(removed)s": "%(documents)d 行销售明细已写入索引 %(index)s，用时 %(seconds).1f 秒；已删除的旧版本：%(removed)s",
    "Rebuilding the Elasticsearch index…": "正在重建 Elasticsearch 索引……",
}
