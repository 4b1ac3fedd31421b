"""Contribution tools: new sheets, GitHub issue form, maintainers' report, plain export."""
