"""The self-assessment: applicability, scores and action plan, its page, the study team's synthesis."""
