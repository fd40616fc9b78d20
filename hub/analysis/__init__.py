"""Analysis (分析研判): recurring problems, trends and hot spots, computed by the hub from its cases.

Read-only queries on the feed (`analysis.recurring`, `analysis.trends`, `analysis.hotspots`):
they change nothing and publish nothing. Each reads the cases the hub holds in memory
(`columns.CaseColumns`, cached until the next commit) and answers in one `command.result`.
"""
