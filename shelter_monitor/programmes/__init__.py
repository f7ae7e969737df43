"""Programme monitoring: a state or regional programme's tasks, targets and funding plan against what was reached."""
