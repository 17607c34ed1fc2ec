"""Security tests (issue 11): identity, bounded faults, secrets, masking, bad input."""
