"""Layer 1, the data (numpy only): text to tokens and vectors, long-lag tasks, weight files, the shipped models."""
