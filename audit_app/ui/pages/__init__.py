"""The pages of an audit's workspace: population, sample, review host and findings."""
