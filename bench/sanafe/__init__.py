"""tandem vs SANA-FE bench (compare.py); a package so that unittest discovery finds its tests."""
