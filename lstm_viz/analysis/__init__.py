"""Layer 1, the analyses (numpy only): Jacobians, connectivity, per-step contributions, BPTT step by step, gradient checks, the error surface, unit ordering and cell probes."""
