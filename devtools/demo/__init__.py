"""`flask demo load`: realistic Vietnamese demo data.

Each feature adds its own in a module named after it here (`devtools/demo/rollout.py`).
"""
