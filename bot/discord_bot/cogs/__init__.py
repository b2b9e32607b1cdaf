"""One cog per concern: asking questions, and moderating the fact base."""
