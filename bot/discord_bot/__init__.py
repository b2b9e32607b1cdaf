"""The Discord edge of factbot: everything that imports discord.py lives in this package."""
