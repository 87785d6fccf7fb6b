"""Search from the header: pilots, tasks, lessons and success formulas, accent-blind."""
