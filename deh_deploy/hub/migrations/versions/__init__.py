"""One module per revision, applied in order."""
